package io.p2pdl.coordinator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2pdl.coordinator.config.CoordinatorConfig.PeerDiscoveryMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerBeansTest {

    private static final Map<String, String> IN_POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");

    @Test
    void autoUsesKubernetesInsideAPodWithoutStaticPeers() {
        assertEquals(PeerDiscoveryMode.KUBERNETES, PeerBeans.mode(PeerDiscoveryMode.AUTO, false, IN_POD));
        assertEquals(PeerDiscoveryMode.STATIC, PeerBeans.mode(PeerDiscoveryMode.AUTO, true, IN_POD));
        assertEquals(PeerDiscoveryMode.STATIC, PeerBeans.mode(PeerDiscoveryMode.AUTO, false, Map.of()));
    }

    @Test
    void explicitModeWins() {
        assertEquals(PeerDiscoveryMode.KUBERNETES, PeerBeans.mode(PeerDiscoveryMode.KUBERNETES, true, Map.of()));
        assertEquals(PeerDiscoveryMode.STATIC, PeerBeans.mode(PeerDiscoveryMode.STATIC, false, IN_POD));
    }
}
