package io.p2pdl.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalServicesTest {

    @Test
    void coordinatorIsLoopbackOnlyWithoutEmbeddedWorkers() {
        assertEquals(List.of("--bind", "127.0.0.1", "--port", "7411", "--data-dir", "/d", "--state-dir", "/d/.f.p2pdl",
                "--embedded-workers", "0"), LocalServices.coordinatorArgs(7411, Path.of("/d"), Path.of("/d/.f.p2pdl")));
    }

    @Test
    void workersPointAtTheCoordinatorAndPassConcurrencyOnlyWhenGiven() {
        assertEquals(List.of("--coordinator", "127.0.0.1:7411", "--port", "0", "--bind", "127.0.0.1"),
                LocalServices.workerArgs(7411, null));
        assertEquals(List.of("--coordinator", "127.0.0.1:7411", "--port", "0", "--bind", "127.0.0.1", "--concurrency", "8"),
                LocalServices.workerArgs(7411, 8));
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
