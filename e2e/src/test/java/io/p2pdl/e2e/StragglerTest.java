package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One origin connection crawls (1 KB/s, about 8 minutes for its chunk) and the workers' lowest-speed
 * limit is off, so only the coordinator's endgame can finish the tail: once nothing else is left,
 * the late chunk gets a duplicate lease on another slot, and the download completes long before the
 * crawling copy would.
 */
class StragglerTest extends ProcessTest {

    private static final long SIZE = 8L << 20;
    private static final long CHUNK = 512 * 1024;
    private static final int WORKERS = 2;
    private static final int CONCURRENCY = 2;

    @Test
    void crawlingConnectionDoesNotHoldTheTailBecauseTheEndgameDuplicatesIt() throws Exception {
        Content content = Content.pseudoRandom(77, SIZE);
        // The first chunk body (after the probe's) crawls at 1 KB/s after 16 KiB: never idle, never done.
        origin.serve("/straggler.bin", content).drip(16 * 1024, 1_000, 1).faultsAfterRequests(1);
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        services.coordinator(port, data, dir.resolve("state"));
        for (int i = 0; i < WORKERS; i++) {
            services.worker(List.of("--coordinator", "127.0.0.1:" + port), CONCURRENCY, "-Dp2pdl.worker.lowest-speed=0");
        }

        Download done;
        try (AdminClient admin = new AdminClient(port)) {
            String id = admin.submit(origin.url("/straggler.bin"), "straggler.bin", CHUNK).getId();
            done = admin.awaitCompleted(id, Await.LONG);
        }
        Path file = data.resolve("straggler.bin");
        assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 with a straggling connection");
        assertEquals(content.sha256Hex(), done.getSha256());
        // Every byte once, plus at most one endgame copy of each chunk in flight at the end.
        long bound = SIZE + (long) WORKERS * CONCURRENCY * CHUNK + 1;
        long served = origin.bodyBytesServed("/straggler.bin");
        assertTrue(served <= bound, "origin served " + served + " bytes, more than " + bound);
        Files.delete(file);
    }
}
