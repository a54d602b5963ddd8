package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.RootOnly;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.e2e.support.TestDirs;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadRef;
import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's data directory fills up mid-download (a 24 MiB tmpfs, mounted by the test, so
 * root only): the download fails with DISK_FULL, its durable chunks stay durable, and once space is
 * freed {@code resume} continues from there to the right SHA-256.
 */
class DiskFullTest extends ProcessTest {

    private static final long MIB = 1L << 20;
    private static final long SIZE = 16 * MIB;
    private static final long CHUNK = 256 * 1024;

    @Test
    void fullDataVolumeFailsWithDiskFullAndResumeCompletesAfterSpaceIsFreed() throws Exception {
        RootOnly.require("mounting a small tmpfs as the data directory");
        Content content = Content.pseudoRandom(24, SIZE);
        // Slow enough that the filler lands while most chunks are still to come.
        origin.serve("/disk-full.bin", content).delayPerResponse(Duration.ofMillis(200));
        Path data = Files.createTempDirectory("p2pdl-disk-full-");
        RootOnly.run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", data.toString());
        try {
            int port = FreePorts.next();
            // Readiness wants 64 MiB free by default; this volume has 24.
            services.coordinator(port, data, dir.resolve("state"), "-Dp2pdl.coordinator.health.min-free-space=1M");
            services.worker(port, 2);
            try (AdminClient admin = new AdminClient(port)) {
                // Submitting checks the free space (24 MiB > 16 MiB): the volume fills up later.
                String id = admin.submit(origin.url("/disk-full.bin"), "disk-full.bin", CHUNK).getId();
                Download started = Await.until("four chunks durable", Await.LONG, () -> admin.get(id),
                        d -> d.getChunksDone() >= 4 || d.getState() != DownloadState.RUNNING);
                assertEquals(DownloadState.RUNNING, started.getState(), "must fill up mid-download: " + started);

                Path filler = data.resolve("filler");
                fillUp(filler);
                Download failed = Await.until("FAILED after the volume filled up", Await.LONG, () -> admin.get(id),
                        d -> d.getState() != DownloadState.RUNNING);
                assertEquals(DownloadState.FAILED, failed.getState(), "state with a full data volume: " + failed);
                assertEquals(FailureReason.DISK_FULL, failed.getFailureReason(), failed.getMessage());
                assertTrue(failed.getChunksDone() >= started.getChunksDone(), "durable chunks were lost: "
                        + started.getChunksDone() + " before, " + failed.getChunksDone() + " after");
                assertFalse(Files.exists(data.resolve("disk-full.bin")), "a final file exists after DISK_FULL");

                Files.delete(filler);
                origin.resetCounters();
                Download resumed = admin.stub().resume(DownloadRef.newBuilder().setId(id).build());
                assertEquals(DownloadState.RUNNING, resumed.getState(), "after resume: " + resumed);
                Download done = admin.awaitCompleted(id, Await.LONG);
                Path file = data.resolve("disk-full.bin");
                assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 after DISK_FULL and resume");
                assertEquals(content.sha256Hex(), done.getSha256());
                // Chunks durable before the failure are not fetched again (+ one endgame copy per slot).
                long bound = SIZE - failed.getChunksDone() * CHUNK + 2 * CHUNK;
                long served = origin.bodyBytesServed("/disk-full.bin");
                assertTrue(served <= bound, "after resume the origin served " + served + " bytes, more than the "
                        + bound + " not yet durable at the failure");
            }
        } finally {
            services.close();
            RootOnly.runQuietly("umount", "-l", data.toString());
            TestDirs.deleteTree(data);
        }
    }

    /** Writes zeros to {@code filler} until the volume says ENOSPC. */
    private static void fillUp(Path filler) throws IOException {
        byte[] block = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }
}
