package io.p2pdl.coordinator.lease;

import java.time.Duration;

/**
 * Tunables of the {@link LeaseTable}.
 *
 * @param ttl how long a lease lives without news from its worker; each transfer frame renews it
 * @param maxDuplicates endgame: how many extra leases one in-flight chunk may get (0 disables endgame)
 * @param retryBackoffInitial delay before a chunk whose fetch failed is leased again
 * @param retryBackoffMax cap of that delay as failures of the chunk repeat (doubling)
 * @param maxChunkFailures consecutive failed fetches of one chunk after which the download fails
 * @param noWorkRetryAfter what idle workers are told to wait when nothing is queued
 * @param endgameMinAge endgame: least time a chunk is in flight before it may be duplicated (the
 *     real threshold is also at least twice the download's recent median chunk time)
 */
public record LeasePolicy(Duration ttl, int maxDuplicates, Duration retryBackoffInitial,
        Duration retryBackoffMax, int maxChunkFailures, Duration noWorkRetryAfter, Duration endgameMinAge) {

    /** Defaults matching the coordinator configuration's defaults. */
    public static LeasePolicy defaults() {
        return new LeasePolicy(Duration.ofSeconds(30), 1, Duration.ofMillis(500), Duration.ofSeconds(30), 10,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    /** Backoff before the next lease after {@code failures} consecutive failures (1 → initial). */
    long backoffNanos(int failures) {
        long base = retryBackoffInitial.toNanos();
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long delay = base << shift;
        if (delay < 0 || delay > retryBackoffMax.toNanos()) {
            delay = retryBackoffMax.toNanos();
        }
        return delay;
    }
}
