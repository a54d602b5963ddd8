package io.p2pdl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.e2e.support.CliResult;
import io.p2pdl.e2e.support.FreePorts;
import io.p2pdl.e2e.support.Services;
import io.p2pdl.e2e.support.Sha256;
import io.p2pdl.e2e.support.TestDirs;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * {@code p2pdl submit --wait}, what a Kubernetes Job runs, against a running coordinator and one
 * worker (shared by the tests of this class).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliSubmitWaitTest {

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

    private static TestOrigin origin;
    private static Path dir;
    private static Path data;
    private static Services services;
    private static int port;

    @BeforeAll
    static void startCluster(TestInfo test) {
        origin = TestOrigin.start();
        dir = TestDirs.fresh(test);
        data = dir.resolve("data");
        services = new Services(dir);
        port = FreePorts.next();
        services.coordinator(port, data, dir.resolve("state"));
        services.worker(port, 4);
    }

    @AfterAll
    static void stopCluster() {
        if (services != null) {
            services.close();
        }
        origin.close();
    }

    @Test
    void submitWaitExitsZeroWhenDownloadCompletes() throws Exception {
        Content content = Content.pseudoRandom(6, 8L << 20);
        origin.serve("/job.bin", content);

        CliResult result = submitWait(origin.url("/job.bin"), "job.bin");

        assertEquals(0, result.exitCode(), "p2pdl submit --wait failed:\n" + result.output());
        assertTrue(result.stdout().lines().findFirst().filter(id -> !id.isBlank()).isPresent(),
                "the first stdout line is the download id:\n" + result.output());
        Path file = data.resolve("job.bin");
        assertEquals(content.sha256Hex(), Sha256.of(file), "SHA-256 of " + file);
        Files.delete(file);
    }

    @Test
    void submitWaitOfMissingFileExitsOne() {
        CliResult result = submitWait(origin.url("/nowhere.bin"), "nowhere.bin");

        assertEquals(1, result.exitCode(), "exit code of p2pdl submit --wait:\n" + result.output());
        assertTrue(result.stderr().contains("ORIGIN_NOT_FOUND"), "stderr names the reason:\n" + result.output());
        assertFalse(Files.exists(data.resolve("nowhere.bin")));
    }

    @Test
    void theLauncherSubmitsWaitsAndListsThroughItsDirectEntryPoint() throws Exception {
        Content content = Content.pseudoRandom(8, 4L << 20);
        origin.serve("/launcher.bin", content);
        String coordinator = "127.0.0.1:" + port;

        CliResult submitted = services.launcher(dir, CLI_TIMEOUT, "submit", origin.url("/launcher.bin"),
                "--coordinator", coordinator, "-o", "launcher.bin", "--wait", "--progress", "none");
        CliResult listed = services.launcher(dir, CLI_TIMEOUT, "list", "--coordinator", coordinator);
        CliResult unreachable = services.launcher(dir, CLI_TIMEOUT, "list", "--coordinator", "127.0.0.1:1");

        assertEquals(0, submitted.exitCode(), "./p2pdl submit --wait failed:\n" + submitted.output());
        assertEquals(content.sha256Hex(), Sha256.of(data.resolve("launcher.bin")));
        String id = submitted.stdout().lines().findFirst().orElse("");
        assertEquals(0, listed.exitCode(), listed.output());
        assertTrue(listed.stdout().contains(id) && listed.stdout().contains("COMPLETED"),
                "./p2pdl list shows the download:\n" + listed.output());
        assertEquals(3, unreachable.exitCode(), unreachable.output());
        assertEquals(1, unreachable.stderr().lines().count(), "one line, no logger noise:\n" + unreachable.output());
        Files.delete(data.resolve("launcher.bin"));
    }

    private static CliResult submitWait(String url, String name) {
        return services.cli(dir, CLI_TIMEOUT, "submit", url, "--coordinator", "127.0.0.1:" + port, "-o", name,
                "--wait");
    }
}
