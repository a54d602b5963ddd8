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

    private static CliResult submitWait(String url, String name) {
        return services.cli(dir, CLI_TIMEOUT, "submit", url, "--coordinator", "127.0.0.1:" + port, "-o", name,
                "--wait");
    }
}
