package io.p2pdl.coordinator.lease;

/** What happened to a chunk whose lease was given back without data. */
public enum ReleaseOutcome {
    /** The lease was unknown or already finished: nothing changed. */
    IGNORED,
    /** The chunk went back to the queue (possibly after a backoff). */
    REQUEUED,
    /** Another worker still holds the chunk: nothing to requeue. */
    STILL_LEASED,
    /** The chunk failed too many times in a row; the download should fail. */
    TOO_MANY_FAILURES
}
