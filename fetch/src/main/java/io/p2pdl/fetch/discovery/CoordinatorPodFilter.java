package io.p2pdl.fetch.discovery;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a pod is a coordinator workers may use right now, and where it listens. A pod
 * counts only when it is Ready, has an IP, is not terminating and declares a container port with
 * the expected name: the same rules a Service applies to its endpoints, so workers see what a
 * Service would route to.
 */
public final class CoordinatorPodFilter {

    private final String portName;

    /** @param portName name of the container port that serves gRPC (the chart uses {@code grpc}) */
    public CoordinatorPodFilter(String portName) {
        this.portName = Objects.requireNonNull(portName, "portName");
        if (portName.isBlank()) {
            throw new IllegalArgumentException("coordinator port name is empty");
        }
    }

    /** The coordinator behind {@code pod}, or empty when the pod must not receive work now. */
    public Optional<DiscoveredCoordinator> member(Pod pod) {
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            return Optional.empty();
        }
        // A terminating pod may still report Ready until its readiness probe fails; new work
        // sent to it would only be interrupted by the shutdown.
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        PodStatus status = pod.getStatus();
        if (status == null || !ready(status) || blank(status.getPodIP())) {
            return Optional.empty();
        }
        return grpcPort(pod).map(port -> new DiscoveredCoordinator(pod.getMetadata().getName(),
                new CoordinatorTarget(status.getPodIP().trim(), port)));
    }

    private static boolean ready(PodStatus status) {
        List<PodCondition> conditions = status.getConditions();
        if (conditions == null) {
            return false;
        }
        return conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private Optional<Integer> grpcPort(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return Optional.empty();
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                Integer number = p.getContainerPort();
                if (portName.equals(p.getName()) && number != null && number >= 1 && number <= 65535) {
                    return Optional.of(number);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
