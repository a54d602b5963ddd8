package io.p2pdl.coordinator.peers;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.DiscoveredCoordinator;
import io.p2pdl.fetch.discovery.KubernetesDiscovery;
import java.util.List;
import java.util.function.Supplier;

/**
 * Peers found through the Kubernetes API: the coordinator pods of this installation (same
 * namespace and selector as workers use), minus this coordinator's own pod.
 */
public final class KubernetesPeers implements PeerDirectory {

    private final Supplier<List<DiscoveredCoordinator>> members;
    private final String selfPodName;
    private final AutoCloseable resource;

    /** Peers from a running discovery; {@code selfPodName} is this coordinator's pod (its node name). */
    public KubernetesPeers(KubernetesDiscovery discovery, String selfPodName) {
        this(discovery::members, selfPodName, discovery);
    }

    KubernetesPeers(Supplier<List<DiscoveredCoordinator>> members, String selfPodName, AutoCloseable resource) {
        this.members = members;
        this.selfPodName = selfPodName;
        this.resource = resource;
    }

    @Override
    public List<CoordinatorTarget> peers() {
        return members.get().stream().filter(m -> !m.podName().equals(selfPodName))
                .map(DiscoveredCoordinator::target).toList();
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            // Closing an informer only stops a watch; nothing to recover.
        }
    }
}
