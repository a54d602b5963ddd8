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
 * @param maxLeasesPerWorker most live leases one worker may hold at once (endgame duplicates
 *     included); a worker at the cap gets no work until one of its leases ends
 */
public record LeasePolicy(Duration ttl, int maxDuplicates, Duration retryBackoffInitial,
        Duration retryBackoffMax, int maxChunkFailures, Duration noWorkRetryAfter, Duration endgameMinAge,
        int maxLeasesPerWorker) {

    /** Default of {@link #maxLeasesPerWorker}: far above any sane worker concurrency. */
    public static final int DEFAULT_MAX_LEASES_PER_WORKER = 64;

    public LeasePolicy {
        if (maxLeasesPerWorker < 1) {
            throw new IllegalArgumentException("max leases per worker must be at least 1, got " + maxLeasesPerWorker);
        }
    }

    /** A policy with the default per-worker lease cap. */
    public LeasePolicy(Duration ttl, int maxDuplicates, Duration retryBackoffInitial, Duration retryBackoffMax,
            int maxChunkFailures, Duration noWorkRetryAfter, Duration endgameMinAge) {
        this(ttl, maxDuplicates, retryBackoffInitial, retryBackoffMax, maxChunkFailures, noWorkRetryAfter,
                endgameMinAge, DEFAULT_MAX_LEASES_PER_WORKER);
    }

    /** Defaults matching the coordinator configuration's defaults. */
    public static LeasePolicy defaults() {
        return io.p2pdl.coordinator.download.CoreDefaults.leasePolicy();
    }

    /** A copy with another per-worker lease cap. */
    public LeasePolicy withMaxLeasesPerWorker(int max) {
        return new LeasePolicy(ttl, maxDuplicates, retryBackoffInitial, retryBackoffMax, maxChunkFailures,
                noWorkRetryAfter, endgameMinAge, max);
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
