package io.p2pdl.cli.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.cli.CliRunner;
import io.p2pdl.cli.CliRunner.Result;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.local.fake.FakeServiceJars;
import io.p2pdl.fetch.testorigin.Content;
import io.p2pdl.fetch.testorigin.TestOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code p2pdl get} with real child processes running fake services (see {@link FakeServiceJars}). */
class GetCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path cwd;

    private CliRunner cli;

    /** get's services always allow loopback origins (a regex). */
    private static final String ALLOWED = " --allow-origin-cidr 127\\.0\\.0\\.0/8 --allow-origin-cidr ::1/128";

    @BeforeEach
    void installFakeServices() throws Exception {
        FakeServiceJars.install(home);
        cli = new CliRunner().home(home).workingDir(cwd);
    }

    @Test
    void downloadsThroughPrivateServicesAndCleansUpItsState() throws Exception {
        Result r = cli.run("get", "http://origin/dir/data.bin", "-o", "out/x.bin", "--workers", "1", "--progress=plain",
                "--allow-origin-cidr", "10.1.0.0/16");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        Path file = cwd.resolve("out/x.bin");
        String content = Files.readString(file);
        assertTrue(content.matches("submitted with: --bind 127\\.0\\.0\\.1 --port \\d+ --http-port 0 --data-dir " + cwd.resolve("out")
                + " --state-dir " + cwd.resolve("out/.x.bin.p2pdl") + " --embedded-workers 1 --embedded-concurrency 8" + ALLOWED
                + " --allow-origin-cidr 10\\.1\\.0\\.0/16"), content);
        assertFalse(Files.exists(cwd.resolve("out/.x.bin.p2pdl")), "state directory must go after success");
        assertTrue(r.out().startsWith("completed x.bin"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void failedDownloadExitsOneKeepsStateAndStopsChildrenGracefully() throws Exception {
        Result r = cli.run("get", "http://origin/missing", "--workers", "2", "--concurrency", "3", "--progress=none");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        Path state = cwd.resolve(".missing.p2pdl");
        assertEquals(1, r.errLines().length, r.err());
        assertEquals("p2pdl: download missing failed: the origin has no such file (ORIGIN_NOT_FOUND): origin answered 404"
                + " (logs: " + state + ")", r.errLines()[0]);
        assertTrue(Files.readString(state.resolve("coordinator.log")).contains("fake coordinator stopping on SIGTERM"));
        String worker = Files.readString(state.resolve("worker-2.log"));
        assertTrue(worker.matches("(?s)fake worker args: --coordinator 127\\.0\\.0\\.1:\\d+ --port 0 --bind 127\\.0\\.0\\.1"
                + " --concurrency 3" + ALLOWED + "\n.*fake worker stopping on SIGTERM.*"), worker);
    }

    @Test
    void byDefaultTheCoreRunsInThisJvmAndNeedsNoServiceJars() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 + 123];
        new Random(7).nextBytes(data);
        try (TestOrigin origin = TestOrigin.start()) {
            origin.serve("/d.bin", Content.bytes(data));
            CliRunner plain = new CliRunner().workingDir(cwd);
            Result r = plain.run("get", origin.url("/d.bin"), "-o", "d.bin", "--progress=none", "--concurrency", "3");
            assertEquals(ExitCodes.OK, r.exitCode(), r.err());
            assertEquals("", r.err());
            assertArrayEquals(data, Files.readAllBytes(cwd.resolve("d.bin")));
            assertFalse(Files.exists(cwd.resolve(".d.bin.p2pdl")), "state directory must go after success");

            origin.serve("/gone.bin", Content.bytes(data)).status(404, 1000).faultsAfterRequests(1);
            Result gone = plain.run("get", origin.url("/gone.bin"), "--progress=none");
            assertEquals(ExitCodes.FAILED, gone.exitCode(), gone.err());
            assertEquals(1, gone.errLines().length, gone.err());
            assertTrue(gone.err().contains("ORIGIN_NOT_FOUND") && gone.err().strip().endsWith(
                    "(logs: " + cwd.resolve(".gone.bin.p2pdl") + ")"), gone.err());
            assertTrue(Files.readString(cwd.resolve(".gone.bin.p2pdl/coordinator.log")).contains("ORIGIN_NOT_FOUND"),
                    "the core logs into the state directory");

            Result missing = plain.run("get", origin.url("/missing"), "--progress=none");
            assertEquals(ExitCodes.FAILED, missing.exitCode());
            assertTrue(missing.err().startsWith("p2pdl: submit failed: ") && missing.err().contains("ORIGIN_NOT_FOUND"),
                    missing.err());
            assertFalse(Files.exists(cwd.resolve(".missing.p2pdl")), "a refused submit leaves nothing behind");
        }
    }

    @Test
    void refusedSubmitLeavesNoStateBehind() {
        Result r = cli.run("get", "http://origin/refused", "--workers", "1", "--progress=none");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals("p2pdl: submit failed: the origin has no such file (ORIGIN_NOT_FOUND): origin answered 404",
                r.err().strip());
        assertFalse(Files.exists(cwd.resolve(".refused.p2pdl")));
    }

    @Test
    void rerunResumesTheEarlierDownloadInsteadOfSubmittingAgain() throws Exception {
        Result first = cli.run("get", "http://origin/flaky", "--workers", "1", "--progress=none");
        assertEquals(ExitCodes.FAILED, first.exitCode());
        assertTrue(first.err().contains("ORIGIN_UNREACHABLE"), first.err());
        assertTrue(Files.isDirectory(cwd.resolve(".flaky.p2pdl")));

        Result second = cli.run("get", "http://origin/flaky", "--workers", "1", "--progress=plain");
        assertEquals(ExitCodes.OK, second.exitCode(), second.err());
        assertTrue(Files.readString(cwd.resolve("flaky")).startsWith("resumed with: "));
        assertTrue(second.out().startsWith("resuming flaky"), second.out());
        assertFalse(Files.exists(cwd.resolve(".flaky.p2pdl")));
    }

    @Test
    void coordinatorThatDiesAtStartupIsReportedWithItsLastLogLine() {
        Result r = cli.run("get", "http://origin/x", "-o", "die.bin", "--workers", "1");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("p2pdl: the local coordinator exited with code 7: FATAL: cannot bind 127.0.0.1:"), r.err());
        assertTrue(r.err().strip().endsWith("(logs: " + cwd.resolve(".die.bin.p2pdl") + ")"), r.err());
    }

    @Test
    void badAllowedCidrIsAUsageErrorBeforeAnythingStarts() {
        Result r = cli.run("get", "http://origin/f", "--allow-origin-cidr", "10.0.0.0/64");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("'10.0.0.0/64' is not a CIDR: prefix length 64 is outside 0..32"), r.err());
        assertFalse(Files.exists(cwd.resolve(".f.p2pdl")));
    }

    @Test
    void missingServiceJarsAreReportedBeforeAnythingStarts() {
        Result r = new CliRunner().workingDir(cwd).run("get", "http://origin/f", "--workers", "1");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.err().startsWith("p2pdl: cannot find the coordinator jar: p2pdl.home is not set"), r.err());
        assertFalse(Files.exists(cwd.resolve(".f.p2pdl")));
    }
}
