package io.p2pdl.worker.discovery;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Picks the discovery mode when none is configured: {@code kubernetes} inside a pod (the kubelet
 * sets {@code KUBERNETES_SERVICE_HOST} in every container) unless static coordinators are
 * configured, {@code static} everywhere else. Shared by the command line check and the service
 * so both always agree.
 */
public final class DiscoveryModeChoice {

    /** Set by the kubelet in every container; its presence means "running in a pod". */
    public static final String IN_CLUSTER_ENV = "KUBERNETES_SERVICE_HOST";

    private DiscoveryModeChoice() {
    }

    /**
     * @param configured the mode from configuration or flags, if any (always wins)
     * @param staticCoordinators whether static coordinators are configured
     * @param env looks up an environment variable (null when unset)
     */
    public static DiscoveryMode choose(Optional<DiscoveryMode> configured, boolean staticCoordinators,
            UnaryOperator<String> env) {
        if (configured.isPresent()) {
            return configured.get();
        }
        String host = env.apply(IN_CLUSTER_ENV);
        boolean inCluster = host != null && !host.isBlank();
        return inCluster && !staticCoordinators ? DiscoveryMode.KUBERNETES : DiscoveryMode.STATIC;
    }
}
