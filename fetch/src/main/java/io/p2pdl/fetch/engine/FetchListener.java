package io.p2pdl.fetch.engine;

import io.p2pdl.proto.v1.FetchFailureKind;

/**
 * Observes a {@link FetchEngine} (the metrics hook). Methods are called from fetch slot threads,
 * often concurrently, and must be quick and non-blocking. Every method does nothing by default.
 */
public interface FetchListener {

    /** A listener that ignores everything. */
    FetchListener NONE = new FetchListener() {
    };

    /** The origin answered with {@code status} (any status, including failures). */
    default void originResponse(int status) {
    }

    /** {@code n} body bytes were read from the origin. */
    default void bytesFetched(long n) {
    }

    /** {@code n} data bytes were handed to a coordinator's transfer stream. */
    default void bytesTransferred(long n) {
    }

    /**
     * A lease ended after {@code nanos}: {@code outcome} is {@code accepted}, {@code duplicate},
     * {@code rejected} (the coordinator refused the transfer) or {@code released} (given back).
     */
    default void chunkFinished(String outcome, long nanos) {
    }

    /** One fetch attempt failed with {@code kind} (retried or released afterwards). */
    default void fetchFailed(FetchFailureKind kind) {
    }
}
