package io.p2pdl.coordinator.probe;

import io.p2pdl.proto.v1.FailureReason;
import java.time.Duration;
import java.util.Optional;

/** The probe could not establish what to download; {@link #reason()} classifies why. */
public final class ProbeException extends Exception {

    private final FailureReason reason;
    private final boolean transientFailure;
    private final Optional<Duration> retryAfter;

    public ProbeException(FailureReason reason, boolean transientFailure, String message) {
        this(reason, transientFailure, message, Optional.empty());
    }

    public ProbeException(FailureReason reason, boolean transientFailure, String message,
            Optional<Duration> retryAfter) {
        super(message);
        this.reason = reason;
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    /** The wait the origin asked for (Retry-After), if it did. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public FailureReason reason() {
        return reason;
    }

    /** True when trying again later may succeed (network errors, 5xx, 429). */
    public boolean isTransient() {
        return transientFailure;
    }
}
