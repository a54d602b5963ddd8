package io.p2pdl.cli.command;

import static io.p2pdl.cli.testing.Downloads.completed;
import static io.p2pdl.cli.testing.Downloads.failed;
import static io.p2pdl.cli.testing.Downloads.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.p2pdl.cli.CliRunner;
import io.p2pdl.cli.CliRunner.Result;
import io.p2pdl.cli.ExitCodes;
import io.p2pdl.cli.testing.FakeCoordinator;
import io.p2pdl.proto.v1.ChecksumAlgorithm;
import io.p2pdl.proto.v1.FailureReason;
import io.p2pdl.proto.v1.SubmitRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubmitCommandTest {

    private FakeCoordinator coordinator;

    @BeforeEach
    void start() throws Exception {
        coordinator = new FakeCoordinator();
    }

    @AfterEach
    void stop() throws Exception {
        coordinator.close();
    }

    private Result submit(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "submit";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--coordinator";
        full[args.length + 2] = coordinator.address();
        return new CliRunner().run(full);
    }

    @Test
    void printsTheIdAloneAndSendsEveryOption() {
        Result r = submit("https://origin/f.iso", "-o", "out.iso", "--chunk-size", "4MiB", "--checksum",
                "sha256=" + "AB".repeat(32), "--header", "Authorization: Bearer t", "--header", "X-A: 1", "--overwrite");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("d1\n", r.out());
        assertEquals("", r.err());
        SubmitRequest sent = coordinator.submits().get(0);
        assertEquals("https://origin/f.iso", sent.getUrl());
        assertEquals("out.iso", sent.getOutputName());
        assertEquals(4L << 20, sent.getChunkSizeBytes());
        assertEquals(ChecksumAlgorithm.SHA256, sent.getChecksum().getAlgorithm());
        assertEquals("ab".repeat(32), sent.getChecksum().getHex());
        assertEquals(2, sent.getHeadersCount());
        assertEquals("Bearer t", sent.getHeaders(0).getValue());
        assertTrue(sent.getOverwrite());
    }

    @Test
    void defaultsLeaveChoicesToTheCoordinator() {
        assertEquals(ExitCodes.OK, submit("http://origin/f.iso").exitCode());
        SubmitRequest sent = coordinator.submits().get(0);
        assertEquals("", sent.getOutputName());
        assertEquals(0, sent.getChunkSizeBytes());
        assertFalse(sent.hasChecksum());
        assertFalse(sent.getOverwrite());
    }

    @Test
    void waitExitsZeroWhenTheDownloadCompletes() {
        coordinator.scriptWatch(running("d1", "f.iso", 100, 50), completed("d1", "f.iso", 100, 2_000));
        Result r = submit("http://origin/f.iso", "--wait", "--progress=plain");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("d1\nrunning f.iso: 50.0%"), r.out());
        assertTrue(r.out().endsWith("completed f.iso 100 B in 2.0s (50 B/s) sha256 " + "ab".repeat(32) + "\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void waitExitsOneWithOneLineWhenTheDownloadFails() {
        coordinator.scriptWatch(running("d1", "f.iso", 100, 50),
                failed("d1", "f.iso", FailureReason.CHECKSUM_MISMATCH, "expected ab.., got cd.."));
        Result r = submit("http://origin/f.iso", "--wait", "--progress=plain");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.out().endsWith("failed f.iso: CHECKSUM_MISMATCH: expected ab.., got cd..\n"), r.out());
        assertEquals(1, r.errLines().length, r.err());
        assertEquals("p2pdl: download f.iso failed: the checksum does not match (CHECKSUM_MISMATCH): expected ab.., got cd..",
                r.errLines()[0]);
    }

    @Test
    void waitSurvivesABrokenWatchStream() {
        coordinator.failNextWatch(Status.UNAVAILABLE.withDescription("coordinator restarting"))
                .scriptWatch(completed("d1", "f.iso", 100, 2_000));
        Result r = submit("http://origin/f.iso", "--wait", "--progress=none");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals(2, coordinator.calls().stream().filter(c -> c.startsWith("watch:")).count());
    }

    @Test
    void refusedProbeExitsOne() {
        coordinator.failSubmit(Status.FAILED_PRECONDITION.withDescription("ORIGIN_NOT_FOUND: origin answered 404"));
        Result r = submit("http://origin/missing");
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals("", r.out());
        assertEquals("p2pdl: submit failed: the origin has no such file (ORIGIN_NOT_FOUND): origin answered 404", r.err().strip());
    }

    @Test
    void insufficientSpaceExitsOne() {
        coordinator.failSubmit(Status.RESOURCE_EXHAUSTED.withDescription("INSUFFICIENT_SPACE: need 4 GiB, 1 GiB free"));
        assertEquals(ExitCodes.FAILED, submit("http://origin/big").exitCode());
    }

    @Test
    void takenNameOrInvalidRequestExitsTwo() {
        coordinator.failSubmit(Status.ALREADY_EXISTS.withDescription("f.iso exists"));
        Result r = submit("http://origin/f.iso");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("p2pdl: submit failed: already exists: f.iso exists", r.err().strip());
    }

    @Test
    void nonHttpUrlIsAUsageErrorWithoutContactingTheCoordinator() {
        Result r = submit("ftp://user:secret@origin/f");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals(1, r.errLines().length);
        assertTrue(r.err().startsWith("p2pdl: invalid URL: only http and https"), r.err());
        assertFalse(r.err().contains("secret"));
        assertTrue(coordinator.calls().isEmpty());
    }
}
