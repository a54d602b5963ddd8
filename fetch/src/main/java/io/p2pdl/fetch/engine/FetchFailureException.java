package io.p2pdl.fetch.engine;

import io.p2pdl.proto.v1.FetchFailure;
import io.p2pdl.proto.v1.FetchFailureKind;
import java.time.Duration;

/**
 * One failed fetch attempt, classified: the value released to the coordinator when retries are
 * exhausted. The message never contains request header values (they may be secrets).
 */
final class FetchFailureException extends Exception {

    private final FetchFailureKind kind;
    private final int httpStatus;
    private final Duration retryAfter;

    FetchFailureException(FetchFailureKind kind, int httpStatus, Duration retryAfter, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    FetchFailureException(FetchFailureKind kind, int httpStatus, String message) {
        this(kind, httpStatus, Duration.ZERO, message);
    }

    FetchFailureKind kind() {
        return kind;
    }

    int httpStatus() {
        return httpStatus;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** NOT_FOUND, FORBIDDEN, CHANGED and ADDRESS_REFUSED will not get better by retrying the same lease. */
    boolean fatal() {
        return kind == FetchFailureKind.NOT_FOUND || kind == FetchFailureKind.FORBIDDEN
                || kind == FetchFailureKind.CHANGED || kind == FetchFailureKind.ADDRESS_REFUSED;
    }

    FetchFailure toProto() {
        return FetchFailure.newBuilder()
                .setKind(kind)
                .setHttpStatus(httpStatus)
                .setRetryAfterMs(retryAfter.toMillis())
                .setMessage(getMessage())
                .build();
    }
}
