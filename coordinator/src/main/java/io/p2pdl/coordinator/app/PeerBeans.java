package io.p2pdl.coordinator.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.p2pdl.coordinator.config.CoordinatorConfig;
import io.p2pdl.coordinator.config.CoordinatorConfig.PeerDiscoveryMode;
import io.p2pdl.coordinator.peers.KubernetesPeers;
import io.p2pdl.coordinator.peers.PeerDirectory;
import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.KubernetesDiscovery;
import io.p2pdl.fetch.discovery.PodNamespace;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Chooses how this coordinator finds its peers: a static list, or coordinator pods in Kubernetes. */
public class PeerBeans {

    private static final Logger LOG = Logger.getLogger(PeerBeans.class);

    @Produces
    @Singleton
    PeerDirectory peers(CoordinatorConfig config, Instance<KubernetesClient> kubernetes) {
        List<CoordinatorTarget> fixed = config.peers().addresses().orElse(List.of()).stream()
                .filter(a -> !a.isBlank()).map(CoordinatorTarget::parse).toList();
        if (mode(config.peers().discovery(), !fixed.isEmpty(), System.getenv()) == PeerDiscoveryMode.STATIC) {
            return () -> fixed;
        }
        // Only in kubernetes mode is the client created, so a coordinator outside a cluster never needs one.
        KubernetesClient client = kubernetes.get();
        CoordinatorConfig.Kubernetes k = config.kubernetes();
        String namespace = PodNamespace.resolve(k.namespace(), PodNamespace.SERVICE_ACCOUNT_NAMESPACE,
                client::getNamespace);
        String self = CoordinatorBeans.nodeName(config);
        LOG.infof("peer coordinators: pods in namespace %s matching %s, except %s", namespace, k.selector(), self);
        return new KubernetesPeers(new KubernetesDiscovery(client, namespace, k.selector(), k.portName()), self);
    }

    /** AUTO means kubernetes inside a pod (unless static peers are given), static otherwise. */
    static PeerDiscoveryMode mode(PeerDiscoveryMode configured, boolean staticPeersGiven, Map<String, String> env) {
        if (configured != PeerDiscoveryMode.AUTO) {
            return configured;
        }
        boolean inPod = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").length() > 0;
        return inPod && !staticPeersGiven ? PeerDiscoveryMode.KUBERNETES : PeerDiscoveryMode.STATIC;
    }
}
