package io.p2pdl.coordinator.download;

import io.p2pdl.proto.v1.FailureReason;

/**
 * A request the coordinator refuses, with the class of refusal (mapped to a gRPC status at the edge)
 * and, where the origin is to blame, a {@link FailureReason}. The message is one human line.
 */
public final class DownloadException extends RuntimeException {

    /** Class of refusal; each maps to one gRPC status code. */
    public enum Kind {
        INVALID_ARGUMENT, ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED, UNAVAILABLE, INTERNAL
    }

    private final Kind kind;
    private final FailureReason reason;

    public DownloadException(Kind kind, FailureReason reason, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.reason = reason;
    }

    public static DownloadException invalid(String message) {
        return new DownloadException(Kind.INVALID_ARGUMENT, FailureReason.FAILURE_REASON_UNSPECIFIED, message);
    }

    public static DownloadException notFound(String id) {
        return new DownloadException(Kind.NOT_FOUND, FailureReason.FAILURE_REASON_UNSPECIFIED,
                "no download with id " + id);
    }

    public Kind kind() {
        return kind;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The status description: the reason code first (when there is one), then the human line. */
    public String describe() {
        return reason == FailureReason.FAILURE_REASON_UNSPECIFIED ? getMessage() : reason.name() + ": " + getMessage();
    }
}
