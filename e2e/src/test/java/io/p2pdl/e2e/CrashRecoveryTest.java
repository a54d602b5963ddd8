package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.ServiceProcess;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Processes die mid-download (SIGKILL, no chance to clean up) and the download still completes with
 * the right bytes. The origin delays every response so a 16 MiB download in 256 KiB chunks lasts
 * several seconds and the kill lands in the middle of it.
 */
class CrashRecoveryTest extends ProcessTest {

    private static final long MIB = 1L << 20;
    private static final long SIZE = 16 * MIB;
    private static final long CHUNK = 256 * 1024;
    private static final int WORKERS = 2;
    private static final int CONCURRENCY = 2;

    @Test
    void coordinatorKilledMidDownloadResumesWithoutRefetchingDoneChunks() throws Exception {
        Content content = Content.pseudoRandom(2, SIZE);
        // 400 ms per response: the download lasts several seconds, and see the bound below.
        origin.serve("/coordinator-crash.bin", content).delayPerResponse(Duration.ofMillis(400));
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        Path state = dir.resolve("state");
        // Endgame duplicates are switched off so every extra byte the origin serves is a re-fetch
        // caused by the crash.
        String noEndgame = "-Dp2pdl.coordinator.endgame-max-duplicates=0";
        ServiceProcess coordinator = services.coordinator(port, data, state, noEndgame);
        for (int i = 0; i < WORKERS; i++) {
            services.worker(port, CONCURRENCY);
        }

        String id;
        Download beforeKill;
        try (AdminClient admin = new AdminClient(port)) {
            id = admin.submit(origin.url("/coordinator-crash.bin"), "crash.bin", CHUNK).getId();
            beforeKill = Await.until("a quarter of the chunks durable", Await.LONG, () -> admin.get(id),
                    d -> d.getChunksDone() * 4 >= d.getChunksTotal() || d.getState() != DownloadState.RUNNING);
            coordinator.killHard();
        }
        assertEquals(DownloadState.RUNNING, beforeKill.getState(), "the kill must land mid-download: " + beforeKill);
        assertTrue(beforeKill.getChunksDone() < beforeKill.getChunksTotal(), "already complete: " + beforeKill);

        services.coordinator(port, data, state, noEndgame); // workers reconnect by themselves
        Download done;
        try (AdminClient admin = new AdminClient(port)) {
            Download afterRestart = admin.get(id);
            // chunks_done counts durable chunks only, and SIGKILL loses nothing the process wrote.
            assertTrue(afterRestart.getChunksDone() >= beforeKill.getChunksDone(), "chunks_done went from "
                    + beforeKill.getChunksDone() + " before the kill to " + afterRestart.getChunksDone() + " after");
            done = admin.awaitCompleted(id, Await.LONG);
        }

        Path file = data.resolve("crash.bin");
        assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 of the downloaded file");
        assertEquals(content.sha256Hex(), done.getSha256());
        // Chunks fetched twice are only those not durable at the kill: the ones leased or written
        // (not yet journaled) in the last status before the kill (chunks_leased counts both), plus
        // at most one new lease per worker slot between that status and the SIGKILL (a slot needs
        // over 400 ms per chunk; the kill follows the status at once). So the bound is
        // size + (chunks_leased + workers x concurrency) chunks, whatever the fsync latency; the
        // + 2 bytes are the probe's bytes=0-0, once per coordinator start at most.
        long refetchable = beforeKill.getChunksLeased() + (long) WORKERS * CONCURRENCY;
        long bound = SIZE + refetchable * CHUNK + 2;
        long served = origin.bodyBytesServed("/coordinator-crash.bin");
        assertTrue(served <= bound, "origin served " + served + " bytes, more than " + bound
                + ": chunks that were durable before the kill were fetched again (" + beforeKill.getChunksDone()
                + " of " + beforeKill.getChunksTotal() + " were done)");
        Files.delete(file);
    }

    @Test
    void workerKilledMidDownloadStillCompletes() throws Exception {
        Content content = Content.pseudoRandom(3, SIZE);
        origin.serve("/worker-crash.bin", content).delayPerResponse(Duration.ofMillis(200));
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        // The dead worker's leases are only given to others once they expire: 3 s instead of 30 s.
        services.coordinator(port, data, dir.resolve("state"), "-Dp2pdl.coordinator.lease-ttl=3S");
        ServiceProcess victim = services.worker(port, CONCURRENCY);
        services.worker(port, CONCURRENCY);

        try (AdminClient admin = new AdminClient(port)) {
            String id = admin.submit(origin.url("/worker-crash.bin"), "worker-crash.bin", CHUNK).getId();
            Download beforeKill = Await.until("a quarter of the chunks durable", Await.LONG, () -> admin.get(id),
                    d -> d.getChunksDone() * 4 >= d.getChunksTotal() || d.getState() != DownloadState.RUNNING);
            victim.killHard();
            assertEquals(DownloadState.RUNNING, beforeKill.getState(), "the kill must land mid-download: " + beforeKill);
            assertTrue(beforeKill.getChunksDone() < beforeKill.getChunksTotal(), "already complete: " + beforeKill);

            Download done = admin.awaitCompleted(id, Await.LONG);
            Path file = data.resolve("worker-crash.bin");
            assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 of the downloaded file");
            assertEquals(content.sha256Hex(), done.getSha256());
            Files.delete(file);
        }
    }
}
