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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Repeated SIGKILLs in one download: the coordinator 20 times (restarted each time on the same
 * port, data and state directories), or workers 5 times (each replaced by a new one at once). The download still
 * completes with the right SHA-256, and the origin serves at most a bounded number of extra chunks
 * per kill, so durable chunks are never fetched again.
 *
 * <p>Kills land at seeded pseudo-random moments: right after the restarted coordinator is ready
 * (while workers reconnect and the journal was just replayed), or after one to a few more chunks
 * became durable.
 */
class CrashLoopTest extends ProcessTest {

    private static final long SIZE = 16L << 20;
    private static final long CHUNK = 128 * 1024;
    /** Smaller chunks for the coordinator loop: 256 of them outlast 20 kills. */
    private static final long SMALL_CHUNK = 64 * 1024;
    private static final int WORKERS = 2;
    private static final int CONCURRENCY = 2;
    private static final String NO_ENDGAME = "-Dp2pdl.coordinator.endgame-max-duplicates=0";
    /** C1 only: 21 coordinator boots on two shared cores spend most of their time in the JIT. */
    private static final String FAST_START = "-XX:TieredStopAtLevel=1";

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void coordinatorKilledTwentyTimesStillCompletesWithoutRefetchingDurableChunks() throws Exception {
        int kills = 20;
        Content content = Content.pseudoRandom(20, SIZE);
        // 300 ms per response: 256 chunks take at least 19 s of fetching with 4 slots, so the
        // download outlives 20 kills that each wait for only a chunk or two of progress.
        origin.serve("/coordinator-loop.bin", content).delayPerResponse(Duration.ofMillis(300));
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        Path state = dir.resolve("state");
        ServiceProcess coordinator = services.coordinator(port, data, state, NO_ENDGAME, FAST_START);
        for (int i = 0; i < WORKERS; i++) {
            services.worker(port, CONCURRENCY);
        }
        Random random = new Random(20);
        String id;
        try (AdminClient admin = new AdminClient(port)) {
            id = admin.submit(origin.url("/coordinator-loop.bin"), "coordinator-loop.bin", SMALL_CHUNK).getId();
        }
        long leasedBeforeKills = 0;
        long doneBefore = 0;
        for (int kill = 1; kill <= kills; kill++) {
            Download last;
            try (AdminClient admin = new AdminClient(port)) {
                Download now = admin.get(id);
                assertTrue(now.getChunksDone() >= doneBefore, "kill " + kill + ": chunks_done went back from "
                        + doneBefore + " to " + now.getChunksDone());
                long target = now.getChunksDone() + (random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(2));
                last = Await.until("chunks_done >= " + target + " before kill " + kill, Await.LONG,
                        () -> admin.get(id), d -> d.getChunksDone() >= target || d.getState() != DownloadState.RUNNING);
            }
            assertEquals(DownloadState.RUNNING, last.getState(), "kill " + kill + " of " + kills
                    + " must land mid-download (the download is too fast for the loop): " + last);
            leasedBeforeKills += last.getChunksLeased();
            doneBefore = last.getChunksDone();
            coordinator.killHard();
            coordinator = services.coordinator(port, data, state, NO_ENDGAME, FAST_START);
        }

        Download done;
        try (AdminClient admin = new AdminClient(port)) {
            done = admin.awaitCompleted(id, Await.LONG);
        }
        Path file = data.resolve("coordinator-loop.bin");
        assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 after " + kills + " coordinator kills");
        assertEquals(content.sha256Hex(), done.getSha256());
        // Per kill, refetched chunks are at most those leased or written-but-not-journaled in the
        // last status before it (chunks_leased) plus one new lease per worker slot between that
        // status and the SIGKILL; the probe's byte comes once per start (the re-resolving start
        // probes again only on 403/404, which this origin never sends).
        long refetchable = leasedBeforeKills + (long) kills * WORKERS * CONCURRENCY;
        long bound = SIZE + refetchable * SMALL_CHUNK + kills + 1;
        long served = origin.bodyBytesServed("/coordinator-loop.bin");
        assertTrue(served <= bound, "origin served " + served + " bytes, more than " + bound + " = size + "
                + refetchable + " chunks in flight at the " + kills + " kills");
        Files.delete(file);
    }

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void workersKilledFiveTimesAndReplacedStillComplete() throws Exception {
        int kills = 5;
        Content content = Content.pseudoRandom(21, SIZE);
        origin.serve("/worker-loop.bin", content).delayPerResponse(Duration.ofMillis(250));
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        // A dead worker's leases go to others once they expire: 3 s instead of 30 s.
        services.coordinator(port, data, dir.resolve("state"), NO_ENDGAME, "-Dp2pdl.coordinator.lease-ttl=3S");
        List<ServiceProcess> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(services.worker(port, CONCURRENCY));
        }
        Random random = new Random(8);
        try (AdminClient admin = new AdminClient(port)) {
            String id = admin.submit(origin.url("/worker-loop.bin"), "worker-loop.bin", CHUNK).getId();
            for (int kill = 1; kill <= kills; kill++) {
                long target = admin.get(id).getChunksDone() + 1 + random.nextInt(3);
                Download last = Await.until("chunks_done >= " + target + " before worker kill " + kill, Await.LONG,
                        () -> admin.get(id), d -> d.getChunksDone() >= target || d.getState() != DownloadState.RUNNING);
                assertEquals(DownloadState.RUNNING, last.getState(), "worker kill " + kill + " of " + kills
                        + " must land mid-download: " + last);
                ServiceProcess victim = workers.remove(random.nextInt(workers.size()));
                victim.killHard();
                // Not awaited: a JVM boot takes longer than the rest of the download would, so the
                // next kill may also hit a replacement that is still starting.
                workers.add(services.workerUnder(List.of(), "127.0.0.1:" + port, CONCURRENCY));
            }
            Download done = admin.awaitCompleted(id, Await.LONG);
            Path file = data.resolve("worker-loop.bin");
            assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 after " + kills + " worker kills");
            assertEquals(content.sha256Hex(), done.getSha256());
            // Each kill loses at most the victim's in-flight chunks; one more round of every slot
            // is slack for a live worker's lease expiring under load (TTL 3 s). Refetching durable
            // chunks would cost far more.
            long bound = SIZE + ((long) kills * CONCURRENCY + WORKERS * CONCURRENCY) * CHUNK + 1;
            long served = origin.bodyBytesServed("/worker-loop.bin");
            assertTrue(served <= bound, "origin served " + served + " bytes, more than " + bound);
            Files.delete(file);
        }
    }
}
