package io.p2pdl.fetch.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Randomised delays, so many workers that failed together do not retry together. */
final class Jitter {

    /** First retry delay of a failed fetch attempt; doubles per attempt. */
    static final Duration RETRY_BASE = Duration.ofMillis(500);
    /** Longest retry delay of a fetch attempt (before Retry-After is considered). */
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private Jitter() {
    }

    /** A random duration between half of {@code d} and {@code d}. */
    static Duration halfToFull(Duration d) {
        long nanos = Math.max(1, d.toNanos());
        return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
    }

    /** Exponential backoff with jitter after failed attempt number {@code attempt} (1-based). */
    static Duration retryDelay(int attempt) {
        long base = RETRY_BASE.toNanos() << Math.min(Math.max(0, attempt - 1), 16);
        return halfToFull(Duration.ofNanos(Math.min(base, RETRY_MAX.toNanos())));
    }
}
