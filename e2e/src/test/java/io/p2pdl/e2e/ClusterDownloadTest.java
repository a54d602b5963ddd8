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
import org.junit.jupiter.api.Test;

/** A coordinator and two separate worker processes download a file together. */
class ClusterDownloadTest extends ProcessTest {

    private static final long MIB = 1L << 20;
    private static final int WORKERS = 2;
    private static final int CONCURRENCY = 4;

    @Test
    void coordinatorAndTwoWorkersDownloadA64MiBFile() throws Exception {
        long size = 64 * MIB;
        Content content = Content.pseudoRandom(64, size);
        origin.serve("/big.bin", content);
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        services.coordinator(port, data, dir.resolve("state"));
        services.worker(port, CONCURRENCY);
        services.worker(port, CONCURRENCY);

        Download done;
        try (AdminClient admin = new AdminClient(port)) {
            Download submitted = admin.submit(origin.url("/big.bin"), "big.bin", 0);
            done = admin.awaitCompleted(submitted.getId(), Await.LONG);
        }

        Path file = data.resolve("big.bin");
        String expected = content.sha256Hex();
        assertEquals(expected, Sha256.of(file), "SHA-256 of the downloaded file");
        assertEquals(expected, done.getSha256(), "sha256 reported by the coordinator");
        assertEquals(size, done.getSizeBytes());
        // Every byte is fetched at least once. Beyond that only the endgame fetches again: once
        // nothing is queued, each chunk still in flight may get one duplicate lease
        // (endgame-max-duplicates = 1, docs/chunk-state-machine.md), and at most workers x
        // concurrency chunks are in flight. No retries happen against this well-behaved origin.
        long served = origin.bodyBytesServed("/big.bin");
        long chunk = done.getChunkSizeBytes();
        long bound = size + (long) WORKERS * CONCURRENCY * chunk + 1; // + 1: the probe's bytes=0-0
        assertTrue(served >= size, "origin served " + served + " < " + size);
        assertTrue(served <= bound, "origin served " + served + " bytes, more than size + one endgame copy of"
                + " every chunk in flight (" + bound + ")");
        Files.delete(file);
    }
}
