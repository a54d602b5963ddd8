package io.p2pdl.coordinator.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import io.p2pdl.fetch.discovery.DiscoveredCoordinator;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesPeersTest {

    @Test
    void ownPodIsNeverAPeer() {
        List<DiscoveredCoordinator> pods = List.of(
                new DiscoveredCoordinator("rel-p2pdl-coordinator-0", new CoordinatorTarget("10.0.0.1", 7400)),
                new DiscoveredCoordinator("rel-p2pdl-coordinator-1", new CoordinatorTarget("10.0.0.2", 7400)),
                new DiscoveredCoordinator("rel-p2pdl-coordinator-2", new CoordinatorTarget("10.0.0.3", 7400)));
        KubernetesPeers peers = new KubernetesPeers(() -> pods, "rel-p2pdl-coordinator-1", () -> { });
        assertEquals(List.of(new CoordinatorTarget("10.0.0.1", 7400), new CoordinatorTarget("10.0.0.3", 7400)),
                peers.peers());
    }
}
