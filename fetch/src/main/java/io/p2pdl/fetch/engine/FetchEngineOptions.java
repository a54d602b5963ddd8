package io.p2pdl.fetch.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link FetchEngine}.
 *
 * @param workerId identity sent with every request to coordinators (host name plus suffix)
 * @param concurrency number of chunks fetched at the same time (one slot thread each)
 * @param maxIdleBackoff longest sleep when no coordinator has work
 * @param fetchAttempts origin attempts per lease before it is released as failed
 * @param requestTimeout read-idle timeout: how long the origin (or a coordinator) may send or
 *     accept nothing before the attempt is abandoned as TRANSIENT
 * @param drainTimeout how long {@link FetchEngine#stop()} lets in-flight chunks finish
 * @param token the worker token presented to coordinators, if they require one
 * @param lowestSpeed bytes per second below which a streaming fetch is given up, measured over
 *     {@code lowestSpeedWindow}; 0 switches the check off
 * @param lowestSpeedWindow how long a fetch must stay below {@code lowestSpeed} to be given up
 */
public record FetchEngineOptions(String workerId, int concurrency, Duration maxIdleBackoff, int fetchAttempts,
        Duration requestTimeout, Duration drainTimeout, java.util.Optional<String> token, long lowestSpeed,
        Duration lowestSpeedWindow) {

    /** Default {@link #lowestSpeed}: 8 KiB/s, far below any origin worth fetching from. */
    public static final long DEFAULT_LOWEST_SPEED = 8 * 1024;
    /** Default {@link #lowestSpeedWindow}. */
    public static final Duration DEFAULT_LOWEST_SPEED_WINDOW = Duration.ofSeconds(30);

    /** Options without a token and with the default lowest speed. */
    public FetchEngineOptions(String workerId, int concurrency, Duration maxIdleBackoff, int fetchAttempts,
            Duration requestTimeout, Duration drainTimeout) {
        this(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                java.util.Optional.empty());
    }

    /** Options with the default lowest speed. */
    public FetchEngineOptions(String workerId, int concurrency, Duration maxIdleBackoff, int fetchAttempts,
            Duration requestTimeout, Duration drainTimeout, java.util.Optional<String> token) {
        this(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout, token,
                DEFAULT_LOWEST_SPEED, DEFAULT_LOWEST_SPEED_WINDOW);
    }

    public FetchEngineOptions {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(maxIdleBackoff, "maxIdleBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("workerId is empty");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        if (fetchAttempts < 1) {
            throw new IllegalArgumentException("fetchAttempts must be >= 1, got " + fetchAttempts);
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative() || maxIdleBackoff.isZero() || maxIdleBackoff.isNegative() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive (drainTimeout may be zero)");
        }
        Objects.requireNonNull(lowestSpeedWindow, "lowestSpeedWindow");
        if (lowestSpeed < 0) {
            throw new IllegalArgumentException("lowest speed must be >= 0 bytes/s (0 is off), got " + lowestSpeed);
        }
        if (lowestSpeed > 0 && (lowestSpeedWindow.isZero() || lowestSpeedWindow.isNegative())) {
            throw new IllegalArgumentException("lowest-speed window must be positive, got " + lowestSpeedWindow);
        }
    }

    /** A copy presenting {@code workerToken} to coordinators. */
    public FetchEngineOptions withToken(java.util.Optional<String> workerToken) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                workerToken, lowestSpeed, lowestSpeedWindow);
    }

    /**
     * A copy that gives up a fetch moving fewer than {@code bytesPerSecond} over {@code window}
     * (0 bytes/s: never).
     */
    public FetchEngineOptions withLowestSpeed(long bytesPerSecond, Duration window) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                token, bytesPerSecond, window);
    }

    /**
     * Concurrency 4, 2 s idle backoff, 3 attempts, 30 s read-idle timeout, 20 s drain, lowest
     * speed 8 KiB/s over 30 s.
     */
    public static FetchEngineOptions defaults(String workerId) {
        return new FetchEngineOptions(workerId, 4, Duration.ofSeconds(2), 3, Duration.ofSeconds(30),
                Duration.ofSeconds(20));
    }
}
