package io.p2pdl.fetch.discovery;

import static io.p2pdl.fetch.discovery.CoordinatorPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoordinatorPodFilterTest {

    private final CoordinatorPodFilter filter = new CoordinatorPodFilter("grpc");

    @Test
    void readyPodWithIpAndNamedPortIsAMember() {
        assertEquals(Optional.of(new DiscoveredCoordinator("coord-0", new CoordinatorTarget("10.0.0.1", 7400))),
                filter.member(pod("coord-0").build()));
    }

    @Test
    void portIsFoundInAnyContainerByNameNotPosition() {
        Pod p = pod("coord-0").port("grpc", 9999).build();
        assertEquals(9999, filter.member(p).orElseThrow().target().port());
    }

    @Test
    void unreadyPodIsNotAMember() {
        assertTrue(filter.member(pod("coord-0").ready(false).build()).isEmpty());
    }

    @Test
    void podWithoutConditionsOrStatusIsNotAMember() {
        Pod noConditions = pod("coord-0").build();
        noConditions.getStatus().setConditions(null);
        assertTrue(filter.member(noConditions).isEmpty());
        Pod noStatus = pod("coord-0").build();
        noStatus.setStatus(null);
        assertTrue(filter.member(noStatus).isEmpty());
    }

    @Test
    void podWithoutIpIsNotAMember() {
        assertTrue(filter.member(pod("coord-0").ip(null).build()).isEmpty());
        assertTrue(filter.member(pod("coord-0").ip(" ").build()).isEmpty());
    }

    @Test
    void terminatingPodIsNotAMemberEvenWhileStillReady() {
        Pod p = pod("coord-0").build();
        p.getMetadata().setDeletionTimestamp("2026-11-25T10:00:00Z");
        assertTrue(filter.member(p).isEmpty());
    }

    @Test
    void podWithoutTheNamedPortIsNotAMember() {
        assertTrue(filter.member(pod("coord-0").port("http", 7400).build()).isEmpty());
        assertTrue(new CoordinatorPodFilter("admin").member(pod("coord-0").build()).isEmpty());
    }

    @Test
    void ipv6PodIpIsBracketedInTheTargetString() {
        CoordinatorTarget t = filter.member(pod("coord-0").ip("fd00:10::5").build()).orElseThrow().target();
        assertEquals("fd00:10::5", t.host());
        assertEquals("[fd00:10::5]:7400", t.toString());
    }

    @Test
    void blankPortNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CoordinatorPodFilter(" "));
    }
}
