package io.p2pdl.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram for many threads: 10 µs buckets up to 1 s (slower lands in the last
 * bucket), plus a count of operations, for percentiles JMH's own modes cannot give an open-loop
 * (paced) benchmark.
 */
final class LatencyRecorder {

    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 100_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private volatile long maxNanos;

    void record(long nanos) {
        counts.incrementAndGet((int) Math.min(Math.max(nanos, 0) / BUCKET_NANOS, BUCKETS - 1));
        total.increment();
        if (nanos > maxNanos) {
            maxNanos = nanos; // racy maximum: good enough for a report line
        }
    }

    long count() {
        return total.sum();
    }

    /** Upper edge of the bucket holding the {@code q} quantile (0 < q ≤ 1), in milliseconds. */
    double quantileMillis(double q) {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return maxMillis();
    }

    double maxMillis() {
        return maxNanos / 1e6;
    }

    /** Adds another recorder's samples to this one. */
    void addAll(LatencyRecorder other) {
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.addAndGet(i, c);
            }
        }
        total.add(other.count());
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }
}
