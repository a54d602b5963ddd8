package io.p2pdl.coordinator.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Distinct worker ids seen within a sliding window (by {@code GetChunk}), on a monotonic clock.
 * Memory is one entry per worker seen within about the last window: old entries are dropped when
 * counting and every few hundred sightings.
 */
final class RecentWorkers {

    private static final int PRUNE_EVERY = 512;

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final AtomicInteger sinceLastPrune = new AtomicInteger();

    RecentWorkers(long windowNanos, LongSupplier nanoClock) {
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
    }

    void seen(String workerId) {
        lastSeen.put(workerId, nanoClock.getAsLong());
        if (sinceLastPrune.incrementAndGet() >= PRUNE_EVERY) {
            sinceLastPrune.set(0);
            prune(nanoClock.getAsLong());
        }
    }

    /** Workers seen within the window before now. */
    int count() {
        long now = nanoClock.getAsLong();
        prune(now);
        return lastSeen.size();
    }

    private void prune(long now) {
        lastSeen.values().removeIf(t -> now - t > windowNanos);
    }
}
