package io.p2pdl.coordinator.lease;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * How fast each worker delivers one download's bytes, so that the last chunks go to the workers
 * that will finish them first. Not thread-safe: the {@link LeaseTable} guards it.
 *
 * <p>On links of different speeds a slow host that takes one of the last chunks holds up the whole
 * download: with 4 MiB chunks and 4 slots a 10 Mbit/s host needs 13 s per chunk while an 80 Mbit/s
 * host needs 1.7 s. The endgame can duplicate such a chunk, but a duplicate cancels the slow
 * transfer and what it fetched is wasted origin traffic. Instead a slow worker is not given a
 * chunk when the faster workers, by themselves, are expected to write every queued chunk before
 * it would have written that one ({@link #othersFinishFirst}); and an endgame duplicate is made
 * only when it is expected to beat the holder ({@link #expectedWrite}, {@link #expectedNewWrite}).
 *
 * <p>The measure is each worker's bandwidth (bytes of all its transfers per second, while it holds
 * leases), not its time per chunk: the flows of one host share its link unfairly, so one chunk
 * may take a third of the time of its siblings, while the host's total stays its link rate. A
 * worker holding {@code L} leases is assumed to have half of each still to fetch. See
 * {@code docs/chunk-state-machine.md} ("Tail").
 */
final class WorkerPaces {

    /**
     * A worker whose bandwidth is more than 1 / this of the fastest worker's, or whose next chunk
     * would end less than {@link #SLOW_MARGIN_NANOS} after the fastest worker's, is never held
     * back: among hosts of one kind bandwidths differ by noise, and when chunks take milliseconds
     * holding anyone back gains nothing.
     */
    static final double SLOW_FACTOR = 1.5;
    static final long SLOW_MARGIN_NANOS = 1_000_000_000L;
    /** Bandwidth is measured over windows at least this long. */
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** A worker that delivered nothing and got no lease for this long no longer counts as fetching. */
    static final long QUIET_NANOS = 2_000_000_000L;
    /** A worker without leases for longer than this was idle: its measuring window starts again. */
    static final long IDLE_NANOS = 500_000_000L;
    private static final long SUMMARY_EVERY_NANOS = 100_000_000L;

    /** One worker's pace. */
    private static final class Pace {
        /** The open measuring window: since when, and the bytes its transfers delivered since. */
        boolean windowOpen;
        long windowStart;
        long windowBytes;
        /** Moving average of its bandwidth in bytes per nanosecond; 0 while unknown. */
        double bytesPerNano;
        /** When it last got a lease of this download or delivered bytes of it. */
        long seenAt;
    }

    private final long chunkBytes;
    private final Map<String, Pace> byWorker = new HashMap<>();
    private boolean summarized;
    private long summarizedAt;
    /** Of the workers heard of recently: the highest bandwidth, and their sum. */
    private double fastest;
    private double total;

    WorkerPaces(long chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    /** {@code workerId} got a lease of this download and now holds {@code liveLeases} in all. */
    void leased(String workerId, int liveLeases, long now) {
        Pace p = byWorker.computeIfAbsent(workerId, k -> new Pace());
        if (liveLeases <= 1 && now - p.seenAt > IDLE_NANOS) {
            p.windowOpen = false; // it was idle: the idle time is not part of its bandwidth
        }
        p.seenAt = now;
    }

    /** {@code workerId}'s transfers delivered {@code bytes} more. */
    void delivered(String workerId, long bytes, long now) {
        Pace p = byWorker.get(workerId);
        if (p == null || bytes <= 0) {
            return;
        }
        p.seenAt = now;
        if (!p.windowOpen) {
            // These bytes were fetched before now: the window counts from here.
            p.windowOpen = true;
            p.windowStart = now;
            p.windowBytes = 0;
            return;
        }
        p.windowBytes += bytes;
        long span = now - p.windowStart;
        if (span >= WINDOW_NANOS) {
            double measured = (double) p.windowBytes / span;
            p.bytesPerNano = p.bytesPerNano == 0 ? measured : (p.bytesPerNano + measured) / 2;
            p.windowStart = now;
            p.windowBytes = 0;
        }
    }

    /** Bytes per second {@code workerId} delivers, or 0 while unknown (for tests and logs). */
    double bytesPerSecond(String workerId) {
        Pace p = byWorker.get(workerId);
        return p == null ? 0 : p.bytesPerNano * 1e9;
    }

    /**
     * When a worker holding {@code liveLeases} (this one among them) should write a chunk it
     * started at {@code startedAt}, sharing its bandwidth fairly; -1 when its bandwidth is unknown.
     */
    long expectedWrite(String workerId, long startedAt, int liveLeases) {
        Pace p = byWorker.get(workerId);
        return p == null || p.bytesPerNano == 0 ? -1
                : startedAt + (long) (chunkBytes * (double) Math.max(1, liveLeases) / p.bytesPerNano);
    }

    /**
     * When {@code workerId}, holding {@code liveLeases}, would write a chunk it took now: after
     * the half it has left of each chunk in hand and the new one; -1 when its bandwidth is unknown.
     */
    long expectedNewWrite(String workerId, int liveLeases, long now) {
        Pace p = byWorker.get(workerId);
        return p == null || p.bytesPerNano == 0 ? -1 : now + newChunkNanos(p, liveLeases);
    }

    private long newChunkNanos(Pace p, int liveLeases) {
        return (long) ((liveLeases * chunkBytes / 2.0 + chunkBytes) / p.bytesPerNano);
    }

    /**
     * True when the workers faster than {@code workerId}, by themselves, are expected to write
     * {@code queued} chunks before {@code workerId} would write one it took now: giving it one would
     * only make it the last to finish. In a time {@code t} a worker of bandwidth {@code b} holding
     * {@code L} leases writes about {@code (b × t − L × chunk / 2) / chunk} new chunks. Unknown
     * bandwidths never hold anyone back, and with nothing queued there is nothing to hold back from.
     */
    boolean othersFinishFirst(String workerId, int queued, ToIntFunction<String> liveLeases, long now) {
        Pace mine = byWorker.get(workerId);
        if (queued <= 0 || mine == null || mine.bytesPerNano == 0) {
            return false;
        }
        summarize(now);
        if (fastest < SLOW_FACTOR * mine.bytesPerNano) {
            return false;
        }
        long myNanos = newChunkNanos(mine, liveLeases.applyAsInt(workerId));
        if (myNanos - chunkBytes / fastest < SLOW_MARGIN_NANOS) {
            return false;
        }
        // What every worker could fetch meanwhile, in chunks: far from the tail, stop here.
        if (queued > total * myNanos / chunkBytes) {
            return false;
        }
        double byOthers = 0;
        for (Map.Entry<String, Pace> e : byWorker.entrySet()) {
            Pace p = e.getValue();
            if (p != mine && p.bytesPerNano > mine.bytesPerNano && recent(p, now)) {
                double inHand = liveLeases.applyAsInt(e.getKey()) * chunkBytes / 2.0;
                byOthers += Math.max(0, (p.bytesPerNano * myNanos - inHand) / chunkBytes);
            }
        }
        return byOthers >= queued;
    }

    private static boolean recent(Pace p, long now) {
        return now - p.seenAt <= QUIET_NANOS;
    }

    private void summarize(long now) {
        if (summarized && now - summarizedAt < SUMMARY_EVERY_NANOS) {
            return;
        }
        double max = 0;
        double sum = 0;
        for (Pace p : byWorker.values()) {
            if (recent(p, now)) {
                max = Math.max(max, p.bytesPerNano);
                sum += p.bytesPerNano;
            }
        }
        fastest = max;
        total = sum;
        summarized = true;
        summarizedAt = now;
    }
}
