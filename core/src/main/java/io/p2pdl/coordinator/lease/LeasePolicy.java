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
 * @param maxLeasesPerOrigin most live leases, over all workers and downloads, on one origin
 *     ({@code scheme://host:port}); each is one connection to it. 0: no cap
 */
public record LeasePolicy(Duration ttl, int maxDuplicates, Duration retryBackoffInitial,
        Duration retryBackoffMax, int maxChunkFailures, Duration noWorkRetryAfter, Duration endgameMinAge,
        int maxLeasesPerWorker, int maxLeasesPerOrigin) {

    /** Default of {@link #maxLeasesPerWorker}: far above any sane worker concurrency. */
    public static final int DEFAULT_MAX_LEASES_PER_WORKER = 64;

    public LeasePolicy {
        if (maxLeasesPerWorker < 1) {
            throw new IllegalArgumentException("max leases per worker must be at least 1, got " + maxLeasesPerWorker);
        }
        if (maxLeasesPerOrigin < 0) {
            throw new IllegalArgumentException("max connections per origin must be 0 (no cap) or more, got "
                    + maxLeasesPerOrigin);
        }
    }

    /** A policy without a per-origin cap. */
    public LeasePolicy(Duration ttl, int maxDuplicates, Duration retryBackoffInitial, Duration retryBackoffMax,
            int maxChunkFailures, Duration noWorkRetryAfter, Duration endgameMinAge, int maxLeasesPerWorker) {
        this(ttl, maxDuplicates, retryBackoffInitial, retryBackoffMax, maxChunkFailures, noWorkRetryAfter,
                endgameMinAge, maxLeasesPerWorker, 0);
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
                noWorkRetryAfter, endgameMinAge, max, maxLeasesPerOrigin);
    }

    /** A copy with another per-origin connection cap (0: none). */
    public LeasePolicy withMaxLeasesPerOrigin(int max) {
        return new LeasePolicy(ttl, maxDuplicates, retryBackoffInitial, retryBackoffMax, maxChunkFailures,
                noWorkRetryAfter, endgameMinAge, maxLeasesPerWorker, max);
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
