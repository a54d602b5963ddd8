package io.p2pdl.worker.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.p2pdl.fetch.discovery.CoordinatorDiscovery;
import io.p2pdl.fetch.discovery.KubernetesDiscovery;
import io.p2pdl.fetch.discovery.PodNamespace;
import io.p2pdl.fetch.discovery.StaticDiscovery;
import io.p2pdl.worker.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Builds the worker's {@link CoordinatorDiscovery} from configuration. The Kubernetes client is
 * looked up only in kubernetes mode, so a static worker never needs a cluster or a kubeconfig.
 */
@ApplicationScoped
public class WorkerDiscovery {

    private static final Logger LOG = Logger.getLogger(WorkerDiscovery.class);

    private final WorkerConfig config;
    private final Supplier<KubernetesClient> kubernetes;
    private final UnaryOperator<String> env;

    @Inject
    WorkerDiscovery(WorkerConfig config, Instance<KubernetesClient> kubernetes) {
        // Instance, not the client itself: resolving the bean creates the client.
        this(config, kubernetes::get, System::getenv);
    }

    WorkerDiscovery(WorkerConfig config, Supplier<KubernetesClient> kubernetes, UnaryOperator<String> env) {
        this.config = config;
        this.kubernetes = kubernetes;
        this.env = env;
    }

    /** The mode in effect: configured, else chosen from the environment. */
    public DiscoveryMode mode() {
        boolean staticCoordinators = config.coordinators().map(l -> l.stream().anyMatch(s -> !s.isBlank()))
                .orElse(false);
        return DiscoveryModeChoice.choose(config.discovery(), staticCoordinators, env);
    }

    /** A new discovery; the caller closes it. */
    public CoordinatorDiscovery create() {
        if (mode() == DiscoveryMode.STATIC) {
            return StaticDiscovery.of(config.coordinators().orElse(List.of()));
        }
        KubernetesClient client = kubernetes.get();
        WorkerConfig.Kubernetes k = config.kubernetes();
        String namespace = PodNamespace.resolve(k.namespace(), PodNamespace.SERVICE_ACCOUNT_NAMESPACE,
                client::getNamespace);
        LOG.infof("discovering coordinators: pods in namespace %s matching %s, port %s", namespace, k.selector(),
                k.portName());
        return new KubernetesDiscovery(client, namespace, k.selector(), k.portName());
    }
}
