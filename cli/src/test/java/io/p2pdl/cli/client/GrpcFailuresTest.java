package io.p2pdl.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GrpcFailuresTest {

    private static final CoordinatorAddress COORDINATOR = new CoordinatorAddress("127.0.0.1", 7400);

    @ParameterizedTest
    @CsvSource({
        "INVALID_ARGUMENT,false,2", "ALREADY_EXISTS,false,2", "NOT_FOUND,false,2",
        "FAILED_PRECONDITION,true,1", "RESOURCE_EXHAUSTED,true,1", "UNAVAILABLE,true,1",
        "UNAVAILABLE,false,3", "DEADLINE_EXCEEDED,false,3", "INTERNAL,false,1", "CANCELLED,false,130"})
    void statusCodesMapToDocumentedExitCodes(Status.Code code, boolean hasReason, int exit) {
        assertEquals(exit, GrpcFailures.exitCode(code, hasReason));
    }

    @Test
    void probeFailureBecomesOneHumanLineWithTheReasonCode() {
        CliFailure f = GrpcFailures.toFailure("submit", COORDINATOR, Status.FAILED_PRECONDITION
                .withDescription("ORIGIN_NOT_FOUND: http://origin/x answered 404\nsecond line").asRuntimeException());
        assertEquals(ExitCodes.FAILED, f.exitCode());
        assertEquals("submit failed: the origin has no such file (ORIGIN_NOT_FOUND): http://origin/x answered 404 second line",
                f.getMessage());
    }

    @Test
    void unavailableWithReasonIsTheOriginNotTheCoordinator() {
        CliFailure f = GrpcFailures.toFailure("submit", COORDINATOR,
                Status.UNAVAILABLE.withDescription("ORIGIN_UNREACHABLE: connect timed out").asRuntimeException());
        assertEquals(ExitCodes.FAILED, f.exitCode());
        assertTrue(f.getMessage().contains("the origin is unreachable"), f.getMessage());
    }

    @Test
    void connectionFailureNamesTheCoordinatorAndTheCause() {
        CliFailure f = GrpcFailures.toFailure("list", COORDINATOR, Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new ConnectException("Connection refused")).asRuntimeException());
        assertEquals(ExitCodes.UNREACHABLE, f.exitCode());
        assertEquals("cannot reach the coordinator at 127.0.0.1:7400: Connection refused", f.getMessage());
    }

    @Test
    void deadlineIsUnreachableAndUnreasonedErrorsKeepTheirDescription() {
        assertEquals(ExitCodes.UNREACHABLE, GrpcFailures.toFailure("list", COORDINATOR,
                Status.DEADLINE_EXCEEDED.asRuntimeException()).exitCode());
        CliFailure notFound = GrpcFailures.toFailure("status of x", COORDINATOR,
                Status.NOT_FOUND.withDescription("no download x").asRuntimeException());
        assertEquals("status of x failed: no such download: no download x", notFound.getMessage());
        assertFalse(notFound.getMessage().contains("\n"));
    }

    @Test
    void unknownReasonCodesAreSpelledOut() {
        assertEquals("superseded", FailureReasons.describe("SUPERSEDED"));
        assertTrue(FailureReasons.split("not a reason: text").isEmpty());
    }
}
