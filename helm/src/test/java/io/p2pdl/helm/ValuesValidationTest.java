package io.p2pdl.helm;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values that cannot work are refused at render time with a message naming the key.
 */
class ValuesValidationTest {

    @Test
    void unknownWorkerKindIsRefused() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> HelmChart.template(null, Map.of("worker.kind", "StatefulSet")));
        assertTrue(e.getMessage().contains("worker.kind must be Deployment or DaemonSet"), e.getMessage());
    }

    @Test
    void coordinatorGrpcAndHttpOnOnePortIsRefused() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> HelmChart.template(null, Map.of("coordinator.httpPort", "7400")));
        assertTrue(e.getMessage().contains("coordinator.port (gRPC) and coordinator.httpPort (health and metrics) must differ"),
                e.getMessage());
    }

    @Test
    void gracePeriodShorterThanDrainTimeoutPlusFiveSecondsIsRefused() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> HelmChart.template(null, Map.of("worker.drainTimeout", "28S")));
        assertTrue(e.getMessage().contains("worker.terminationGracePeriodSeconds (30) must be at least"), e.getMessage());
    }

    @Test
    void drainTimeoutInMinutesIsCheckedToo() {
        assertThrows(IllegalStateException.class, () -> HelmChart.template(null,
                Map.of("worker.drainTimeout", "1m", "worker.terminationGracePeriodSeconds", "64")));
        Deployment worker = HelmChart.template(null,
                Map.of("worker.drainTimeout", "1m", "worker.terminationGracePeriodSeconds", "65")).one(Deployment.class);
        assertEquals(65L, worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
    }

    @Test
    void defaultGracePeriodLeavesTheDefaultDrainItsFiveSeconds() {
        Deployment worker = HelmChart.template(null, Map.of()).one(Deployment.class);
        assertEquals(30L, worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertEquals("20S", ChartScenariosTest.env(worker.getSpec().getTemplate().getSpec().getContainers().get(0),
                "P2PDL_WORKER_DRAIN_TIMEOUT").getValue());
    }
}
