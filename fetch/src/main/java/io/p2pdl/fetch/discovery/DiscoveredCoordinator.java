package io.p2pdl.fetch.discovery;

import java.util.Objects;

/**
 * One coordinator found through the Kubernetes API: the pod it runs in and where its gRPC port
 * answers. The pod name matters beyond addressing: download ids start with the name of the
 * coordinator that owns them, so a caller can route a download id to its owner.
 *
 * @param podName name of the coordinator's pod (stable for a StatefulSet: {@code <set>-<ordinal>})
 * @param target the pod IP and the container port named by the discovery's port name
 */
public record DiscoveredCoordinator(String podName, CoordinatorTarget target) {

    public DiscoveredCoordinator {
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(target, "target");
    }
}
