package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.AdminClient;
import io.p2pdl.e2e.support.Await;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.ProcessTest;
import io.p2pdl.e2e.support.ServiceJars;
import io.p2pdl.e2e.support.ServiceProcess;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.proto.v1.Download;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100 downloads submitted at once to one coordinator and served by 4 workers all complete with the
 * right bytes, and the coordinator gives back what they took: its thread count, open file
 * descriptors ({@code /proc/PID/fd}) and heap after a full GC ({@code jcmd}) return near their
 * values before the load. Nothing here is timed.
 */
class LoadTest extends ProcessTest {

    private static final int DOWNLOADS = 100;
    private static final long SIZE = 512 * 1024 + 7;
    private static final long CHUNK = 256 * 1024;

    /** What the coordinator process holds at one moment. */
    private record Footprint(int threads, int fds, long heapUsedKiB) {
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void hundredConcurrentDownloadsCompleteAndTheCoordinatorReturnsToBaseline() throws Exception {
        int port = FreePorts.next();
        Path data = dir.resolve("data");
        ServiceProcess coordinator = services.coordinator(port, data, dir.resolve("state"));
        // One after the other: four JVMs booting at once on two loaded cores outlast the start timeout.
        for (int i = 0; i < 4; i++) {
            services.worker(port, 4);
        }
        List<Content> contents = new ArrayList<>();
        for (int i = 0; i < DOWNLOADS; i++) {
            Content c = Content.pseudoRandom(1000 + i, SIZE);
            contents.add(c);
            origin.serve("/load-" + i + ".bin", c);
        }
        try (AdminClient admin = new AdminClient(port)) {
            // Warm-up: one download through every code path, so lazily created pools count in the baseline.
            origin.serve("/warm-up.bin", Content.pseudoRandom(999, SIZE));
            admin.awaitCompleted(admin.submit(origin.url("/warm-up.bin"), "warm-up.bin", CHUNK).getId(), Await.LONG);
            Footprint before = footprint(coordinator);

            ExecutorService submitters = Executors.newFixedThreadPool(10);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < DOWNLOADS; i++) {
                int n = i;
                ids.add(submitters.submit(() -> admin.submit(origin.url("/load-" + n + ".bin"), "load-" + n + ".bin",
                        CHUNK).getId()));
            }
            submitters.shutdown();
            for (int i = 0; i < DOWNLOADS; i++) {
                Download done = admin.awaitCompleted(ids.get(i).get(), Await.LONG);
                assertEquals(contents.get(i).sha256Hex(), done.getSha256(), "sha256 of download " + i);
                assertEquals(contents.get(i).sha256Hex(), Sha256.of(data.resolve("load-" + i + ".bin")),
                        "SHA-256 of load-" + i + ".bin");
            }

            // Idle pool threads may linger for a while after the load: wait for the count to settle.
            Footprint after = Await.until("the coordinator back near its baseline " + before, Await.LONG,
                    () -> footprint(coordinator), f -> nearBaseline(before, f));
            assertTrue(nearBaseline(before, after), before + " -> " + after);
        }
    }

    /**
     * Within tolerance of the baseline: threads and descriptors may differ by a few pooled ones,
     * the heap (after a full GC) by 32 MiB, a fraction of what 100 leaked downloads would hold.
     */
    private static boolean nearBaseline(Footprint before, Footprint after) {
        return after.threads() <= before.threads() + 8
                && after.fds() <= before.fds() + 16
                && after.heapUsedKiB() <= before.heapUsedKiB() + 32 * 1024;
    }

    private static Footprint footprint(ServiceProcess p) {
        try {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
            int fds;
            try (var list = Files.list(proc.resolve("fd"))) {
                fds = (int) list.count();
            }
            jcmd(p, "GC.run");
            return new Footprint(threads, fds, heapUsedKiB(jcmd(p, "GC.heap_info")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The sum of "used NK" over the generation lines of {@code GC.heap_info} (Metaspace is not heap). */
    private static long heapUsedKiB(String heapInfo) {
        Pattern used = Pattern.compile("used (\\d+)K");
        long sum = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            Matcher m = used.matcher(line);
            if (line.contains("generation") && m.find()) {
                sum += Long.parseLong(m.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no heap usage in jcmd output: " + heapInfo);
        }
        return sum;
    }

    private static String jcmd(ServiceProcess p, String command) throws IOException {
        Path jcmd = Path.of(ServiceJars.java()).resolveSibling("jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), command).redirectErrorStream(true)
                .start();
        run.getOutputStream().close();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!run.waitFor(30, TimeUnit.SECONDS) || run.exitValue() != 0) {
                throw new AssertionError("jcmd " + command + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }
}
