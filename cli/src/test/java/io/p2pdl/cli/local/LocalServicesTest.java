package io.p2pdl.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalServicesTest {

    @Test
    void coordinatorIsLoopbackOnlyAndFetchesWithItsEmbeddedWorker() {
        assertEquals(List.of("--bind", "127.0.0.1", "--port", "7411", "--data-dir", "/d", "--state-dir", "/d/.f.p2pdl",
                "--embedded-workers", "1", "--embedded-concurrency", "6"),
                LocalServices.coordinatorArgs(7411, Path.of("/d"), Path.of("/d/.f.p2pdl"), 6));
    }

    @Test
    void workersPointAtTheCoordinatorWithTheConcurrency() {
        assertEquals(List.of("--coordinator", "127.0.0.1:7411", "--port", "0", "--bind", "127.0.0.1", "--concurrency", "8"),
                LocalServices.workerArgs(7411, 8));
    }
}
