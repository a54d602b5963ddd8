package io.p2pdl.cli.command;

import static io.p2pdl.cli.testing.Downloads.completed;
import static io.p2pdl.cli.testing.Downloads.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.cli.CliRunner;
import io.p2pdl.cli.CliRunner.Result;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.client.CoordinatorAddress;
import io.p2pdl.cli.testing.FakeCoordinator;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminCommandsTest {

    private FakeCoordinator coordinator;
    private CliRunner cli;

    @BeforeEach
    void start() throws Exception {
        coordinator = new FakeCoordinator();
        coordinator.put(completed("d1", "old.iso", 2048, 1_000)).put(running("d2", "new.iso", 4096, 1024));
        // The environment variable is how a Job or shell names the coordinator once.
        cli = new CliRunner().env(CoordinatorAddress.ENV, coordinator.address());
    }

    @AfterEach
    void stop() throws Exception {
        coordinator.close();
    }

    @Test
    void statusAsJsonIsOneObjectWithProgress() {
        Result r = cli.run("status", "d2", "--output", "json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("{\"id\":\"d2\",\"url\":\"http://origin/new.iso\",\"outputName\":\"new.iso\""), r.out());
        assertTrue(r.out().endsWith("\"progress\":0.2500}\n"), r.out());
        assertEquals(1, r.out().split("\n").length);
    }

    @Test
    void statusAsTextAndUnknownIdIsAUsageError() {
        Result text = cli.run("status", "d1");
        assertTrue(text.out().contains("state:     COMPLETED"), text.out());
        Result unknown = cli.run("status", "nope");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertEquals("p2pdl: status of nope failed: no such download: no download nope", unknown.err().strip());
    }

    @Test
    void listShowsNewestFirstAsTableOrJson() {
        Result table = cli.run("list");
        assertEquals(ExitCodes.OK, table.exitCode(), table.err());
        String[] lines = table.out().split("\n");
        assertTrue(lines[0].startsWith("ID  STATE"), table.out());
        assertTrue(lines[1].startsWith("d2") && lines[2].startsWith("d1"), table.out());
        Result json = cli.run("list", "--output=JSON");
        assertTrue(json.out().startsWith("[\n  {\"id\":\"d2\""), json.out());
    }

    @Test
    void emptyListSaysSo() throws Exception {
        try (FakeCoordinator empty = new FakeCoordinator()) {
            assertEquals("no downloads\n", new CliRunner().run("list", "--coordinator", empty.address()).out());
            assertEquals("[]\n", new CliRunner().run("list", "--coordinator", empty.address(), "--output", "json").out());
        }
    }

    @Test
    void controlCommandsCallTheCoordinatorAndPrintTheNewState() {
        assertEquals("d2 paused new.iso\n", cli.run("pause", "d2").out());
        assertEquals("d2 running new.iso\n", cli.run("resume", "d2").out());
        assertEquals("d2 failed new.iso\n", cli.run("cancel", "d2").out());
        assertEquals(java.util.List.of("pause:d2", "resume:d2", "cancel:d2"), coordinator.calls());
        assertEquals(ExitCodes.USAGE, cli.run("cancel", "zzz").exitCode());
    }

    @Test
    void resumeRefusedByTheCoordinatorExitsOne() {
        coordinator.failResume(io.grpc.Status.FAILED_PRECONDITION.withDescription("CANCELLED: cancelled downloads stay cancelled"));
        Result r = cli.run("resume", "d2");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals("p2pdl: resume d2 failed: cancelled (CANCELLED): cancelled downloads stay cancelled", r.err().strip());
    }

    @Test
    void watchFollowsToCompletion() {
        coordinator.scriptWatch(running("d2", "new.iso", 4096, 2048), completed("d2", "new.iso", 4096, 1_000));
        Result r = cli.interactive(true).run("watch", "d2");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("\r["), r.out()); // a terminal gets the live bar by default
        assertTrue(r.out().endsWith("completed new.iso 4.0 KiB in 1.0s (4.0 KiB/s) sha256 " + "ab".repeat(32) + "\n"), r.out());
    }

    @Test
    void unreachableCoordinatorExitsThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        for (String[] args : new String[][] {{"list"}, {"status", "d1"}, {"watch", "d1"}, {"submit", "http://o/f"}}) {
            String[] full = java.util.Arrays.copyOf(args, args.length + 2);
            full[args.length] = "--coordinator";
            full[args.length + 1] = "127.0.0.1:" + port;
            Result r = new CliRunner().run(full);
            assertEquals(ExitCodes.UNREACHABLE, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().startsWith("p2pdl: cannot reach the coordinator at 127.0.0.1:" + port + ": "), r.err());
        }
    }
}
