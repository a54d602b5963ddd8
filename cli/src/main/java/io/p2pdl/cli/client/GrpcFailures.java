package io.p2pdl.cli.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.p2pdl.cli.CliFailure;
import io.p2pdl.cli.ExitCodes;

/**
 * Maps gRPC errors from the coordinator to an exit code and one human line. This is the CLI's
 * edge: coordinators answer with a status code plus a description that starts with a reason code.
 */
public final class GrpcFailures {

    private GrpcFailures() {
    }

    /**
     * The exit code for a failed call.
     *
     * @param code      the gRPC status code
     * @param hasReason true when the description starts with a coordinator reason code, which
     *                  proves the coordinator itself answered (UNAVAILABLE then means the origin is)
     */
    public static int exitCode(Status.Code code, boolean hasReason) {
        return switch (code) {
            case INVALID_ARGUMENT, ALREADY_EXISTS, NOT_FOUND, OUT_OF_RANGE, UNAUTHENTICATED -> ExitCodes.USAGE;
            case UNAVAILABLE -> hasReason ? ExitCodes.FAILED : ExitCodes.UNREACHABLE;
            case DEADLINE_EXCEEDED -> ExitCodes.UNREACHABLE;
            case CANCELLED -> ExitCodes.INTERRUPTED;
            default -> ExitCodes.FAILED;
        };
    }

    /**
     * The failure to report for {@code e}.
     *
     * @param action      what was attempted, e.g. {@code "submit"} or {@code "status of 7f3a"}
     * @param coordinator the address that was called, for the unreachable message
     */
    public static CliFailure toFailure(String action, CoordinatorAddress coordinator, StatusRuntimeException e) {
        return toFailure(action, coordinator, e, false);
    }

    /**
     * As {@link #toFailure(String, CoordinatorAddress, StatusRuntimeException)}; a connection that
     * failed because of TLS says why (untrusted or misnamed certificate, no TLS on the other side),
     * and a plaintext client whose connection was closed is told the coordinator may want TLS.
     *
     * @param tls whether the client used TLS
     */
    public static CliFailure toFailure(String action, CoordinatorAddress coordinator, StatusRuntimeException e,
            boolean tls) {
        Status status = e.getStatus();
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            java.util.Optional<String> why = io.p2pdl.fetch.tls.TlsFailures.describe(e);
            if (why.isPresent()) {
                return new CliFailure(ExitCodes.UNREACHABLE,
                        oneLine("cannot connect to the coordinator at " + coordinator + ": " + why.get()), e);
            }
            if (!tls && FailureReasons.split(status.getDescription()).isEmpty() && closedByPeer(e)) {
                return new CliFailure(ExitCodes.UNREACHABLE, oneLine("cannot reach the coordinator at " + coordinator
                        + ": " + rootMessage(e) + " (if it serves TLS, use --tls-ca FILE or --tls)"), e);
            }
        }
        var reasoned = FailureReasons.split(status.getDescription());
        int exit = exitCode(status.getCode(), reasoned.isPresent());
        String line;
        if (exit == ExitCodes.UNREACHABLE) {
            line = status.getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? "the coordinator at " + coordinator + " did not answer in time (" + action + ")"
                    : "cannot reach the coordinator at " + coordinator + ": " + rootMessage(e);
        } else if (exit == ExitCodes.INTERRUPTED) {
            line = action + " interrupted";
        } else if (reasoned.isPresent()) {
            line = action + " failed: " + FailureReasons.sentence(reasoned.get().reason(), reasoned.get().message());
        } else {
            String description = status.getDescription();
            line = action + " failed: " + humanCode(status.getCode())
                    + (description == null || description.isBlank() ? "" : ": " + description.strip());
        }
        return new CliFailure(exit, oneLine(line), e);
    }

    private static String humanCode(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> "no such download";
            case ALREADY_EXISTS -> "already exists";
            case INVALID_ARGUMENT -> "invalid request";
            case UNIMPLEMENTED -> "the coordinator does not support this call";
            case UNAUTHENTICATED -> "the coordinator refused the admin token"
                    + " (set P2PDL_ADMIN_TOKEN or P2PDL_ADMIN_TOKEN_FILE)";
            default -> code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    /**
     * A connection the other side closed without an HTTP/2 answer: what a TLS-only coordinator
     * does to a plaintext client (a refused connection is something else).
     */
    private static boolean closedByPeer(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        return d != null && (d.startsWith("Network closed for unknown reason") || d.contains("Connection closed"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !(t instanceof StatusRuntimeException)) {
                message = t.getMessage();
            }
            t = t.getCause();
        }
        if (message == null) {
            String description = ((StatusRuntimeException) e).getStatus().getDescription();
            message = description == null ? "unavailable" : description;
        }
        return message;
    }

    /** Collapses line breaks so an error is always exactly one line. */
    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
