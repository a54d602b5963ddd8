package io.p2pdl.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalServicesTest {

    private static final List<String> LOOPBACK = List.of("--allow-origin-cidr", "127.0.0.0/8",
            "--allow-origin-cidr", "::1/128");

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void coordinatorIsLoopbackOnlyAndFetchesWithItsEmbeddedWorker() {
        assertEquals(plus(List.of("--bind", "127.0.0.1", "--port", "7411", "--http-port", "0", "--data-dir", "/d", "--state-dir",
                "/d/.f.p2pdl", "--embedded-workers", "1", "--embedded-concurrency", "6"), LOOPBACK),
                LocalServices.coordinatorArgs(7411, Path.of("/d"), Path.of("/d/.f.p2pdl"), 6, List.of()));
    }

    @Test
    void workersPointAtTheCoordinatorWithTheConcurrency() {
        assertEquals(plus(List.of("--coordinator", "127.0.0.1:7411", "--port", "0", "--bind", "127.0.0.1",
                "--concurrency", "8"), LOOPBACK), LocalServices.workerArgs(7411, 8, List.of()));
    }

    @Test
    void loopbackOriginsAreAlwaysAllowedAndExtraRangesGoToEveryService() {
        List<String> extra = plus(LOOPBACK, List.of("--allow-origin-cidr", "10.0.0.0/8"));
        List<String> coordinator = LocalServices.coordinatorArgs(1, Path.of("/d"), Path.of("/s"), 8,
                List.of("10.0.0.0/8", "127.0.0.0/8"));
        assertEquals(extra, coordinator.subList(coordinator.size() - extra.size(), coordinator.size()));
        List<String> worker = LocalServices.workerArgs(1, 8, List.of("10.0.0.0/8"));
        assertEquals(extra, worker.subList(worker.size() - extra.size(), worker.size()));
    }

    @Test
    void theLocalClusterLeavesOutTheCallersTlsSettings() {
        // get's coordinator and workers talk plaintext over loopback: P2PDL_TLS_* meant for an
        // installation would make them refuse each other.
        org.junit.jupiter.api.Assertions.assertTrue(LocalCluster.inheritedTls("P2PDL_TLS_CA_FILE"));
        org.junit.jupiter.api.Assertions.assertTrue(LocalCluster.inheritedTls("P2PDL_TLS_CERT_FILE"));
        org.junit.jupiter.api.Assertions.assertFalse(LocalCluster.inheritedTls("P2PDL_WORKER_TOKEN"));
    }
}
