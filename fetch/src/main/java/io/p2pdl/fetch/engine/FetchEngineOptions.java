package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.origin.OriginAddressPolicy;
import io.p2pdl.fetch.origin.UrlRedactor;
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
 * @param originPolicy the SSRF guard checked before every ranged request (strict by default:
 *     public addresses only)
 * @param redactor how URLs are redacted in this engine's logs and released failure messages
 * @param tls plaintext or TLS towards coordinators
 * @param lowestSpeed bytes per second below which a streaming fetch is given up, measured over
 *     {@code lowestSpeedWindow}; 0 switches the check off
 * @param lowestSpeedWindow how long a fetch must stay below {@code lowestSpeed} to be given up
 */
public record FetchEngineOptions(String workerId, int concurrency, Duration maxIdleBackoff, int fetchAttempts,
        Duration requestTimeout, Duration drainTimeout, java.util.Optional<String> token,
        OriginAddressPolicy originPolicy, UrlRedactor redactor, io.p2pdl.fetch.tls.ClientTls tls, long lowestSpeed,
        Duration lowestSpeedWindow) {

    /** Default lowest speed: 8 KiB/s. */
    public static final long DEFAULT_LOWEST_SPEED = 8 * 1024;
    /** Default lowest-speed window: 30 s. */
    public static final Duration DEFAULT_LOWEST_SPEED_WINDOW = Duration.ofSeconds(30);

    /** Options with a token, the strict origin policy and the built-in redaction. */
    public FetchEngineOptions(String workerId, int concurrency, Duration maxIdleBackoff, int fetchAttempts,
            Duration requestTimeout, Duration drainTimeout, java.util.Optional<String> token) {
        this(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout, token,
                OriginAddressPolicy.strict(OriginAddressPolicy.WORKER_KEY), UrlRedactor.DEFAULT,
                io.p2pdl.fetch.tls.ClientTls.PLAINTEXT, DEFAULT_LOWEST_SPEED, DEFAULT_LOWEST_SPEED_WINDOW);
    }

    /** Options without a token. */
    public FetchEngineOptions(String workerId, int concurrency, Duration maxIdleBackoff, int fetchAttempts,
            Duration requestTimeout, Duration drainTimeout) {
        this(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                java.util.Optional.empty());
    }

    public FetchEngineOptions {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(originPolicy, "originPolicy");
        Objects.requireNonNull(redactor, "redactor");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(lowestSpeedWindow, "lowestSpeedWindow");
        if (lowestSpeed < 0) {
            throw new IllegalArgumentException("lowest speed must be >= 0 bytes/s (0 is off), got " + lowestSpeed);
        }
        if (lowestSpeed > 0 && (lowestSpeedWindow.isZero() || lowestSpeedWindow.isNegative())) {
            throw new IllegalArgumentException("lowest-speed window must be positive, got " + lowestSpeedWindow);
        }
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
    }

    /** A copy presenting {@code workerToken} to coordinators. */
    public FetchEngineOptions withToken(java.util.Optional<String> workerToken) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                workerToken, originPolicy, redactor, tls, lowestSpeed, lowestSpeedWindow);
    }

    /** A copy checking origins with {@code policy}. */
    public FetchEngineOptions withOriginPolicy(OriginAddressPolicy policy) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                token, policy, redactor, tls, lowestSpeed, lowestSpeedWindow);
    }

    /** A copy redacting URLs with {@code urlRedactor}. */
    public FetchEngineOptions withRedactor(UrlRedactor urlRedactor) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                token, originPolicy, urlRedactor, tls, lowestSpeed, lowestSpeedWindow);
    }

    /**
     * A copy that gives up a fetch moving fewer than {@code bytesPerSecond} over {@code window}
     * (0 bytes/s: never).
     */
    public FetchEngineOptions withLowestSpeed(long bytesPerSecond, Duration window) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                token, originPolicy, redactor, tls, bytesPerSecond, window);
    }

    /** A copy connecting to coordinators as {@code clientTls} says. */
    public FetchEngineOptions withTls(io.p2pdl.fetch.tls.ClientTls clientTls) {
        return new FetchEngineOptions(workerId, concurrency, maxIdleBackoff, fetchAttempts, requestTimeout, drainTimeout,
                token, originPolicy, redactor, clientTls, lowestSpeed, lowestSpeedWindow);
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
