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
    /**
     * Lease caps by bandwidth ({@link #leaseCap}) start at this ratio to the fastest worker, not at
     * {@link #SLOW_FACTOR}: on equal links a worker starved of CPU for a second can measure well
     * below its link rate, and a cap would keep it there (fewer flows, lower measure).
     */
    static final double CAP_FACTOR = 2;
    /** Per measuring window, a worker's peak falls to this share of itself unless a window beats it. */
    static final double LINK_DECAY = 0.9;
    /**
     * Windows after which a worker's pace counts for lease caps: its first window includes its
     * start (connections, TCP slow start, a cold JIT) and may hold a burst.
     */
    static final int KNOWN_WINDOWS = 2;
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
        /** Measuring windows closed so far. */
        int windows;
        /**
         * The most its link may carry: the best of its windows, decaying by {@link #LINK_DECAY} per
         * window, so that a second in which its process was starved of CPU (nine JVMs on two cores
         * in the WAN bench) does not make a fast link look slow, while a link that got slower is
         * seen within a few windows. Lease caps compare this one with the fastest steady pace.
         */
        double peakBytesPerNano;
        /**
         * A slow average of its windows (its first two weigh half each, later ones a quarter): what
         * its link carries, not a window into which bytes held up by a starved process arrived at
         * once (a 40 Mbit/s host measured 61 Mbit/s over a second in the WAN bench).
         */
        double steadyBytesPerNano;
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
    /**
     * Of the workers heard of recently whose pace is known: the one of the highest steady pace
     * (null if none), and that pace.
     */
    private String steadiestWorker;
    private double steadiest;

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
            p.peakBytesPerNano = Math.max(measured, p.peakBytesPerNano * LINK_DECAY);
            p.steadyBytesPerNano = p.windows == 0 ? measured
                    : p.windows == 1 ? (p.steadyBytesPerNano + measured) / 2
                    : p.steadyBytesPerNano * 0.75 + measured * 0.25;
            p.windows++;
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

    /**
     * Most live leases worth letting {@code workerId} hold now ({@link Integer#MAX_VALUE}: no cap of
     * its own). On links of mixed speed (the highest steady pace of a recent worker at least
     * {@link #CAP_FACTOR} times its own peak, both known over {@link #KNOWN_WINDOWS} windows): a share
     * of that worker's leases in proportion to the two, at least one, so that each of its chunks
     * takes about as long as one of the fastest worker's. A 10 Mbit/s host beside an 80 Mbit/s one
     * holding 4 leases fetches one chunk at a time at its full link rate instead of four at a quarter
     * of it: the same bytes per second, but no chunk of its own 13 s long that ends with the download
     * (for a 4 MiB chunk). Its own peak against the other's steady pace: each errs towards no cap on
     * equal links. Until its pace is known a worker takes what it asks for: holding new workers to
     * fewer leases made their later connections start into links the others already filled, where
     * TCP left one of them at a few Mbit/s for 10 s (docs/benchmarks.md).
     */
    int leaseCap(String workerId, ToIntFunction<String> liveLeases, long now) {
        Pace mine = byWorker.get(workerId);
        if (mine == null || mine.windows < KNOWN_WINDOWS) {
            return Integer.MAX_VALUE;
        }
        summarize(now);
        if (steadiestWorker == null || steadiest < CAP_FACTOR * mine.peakBytesPerNano) {
            return Integer.MAX_VALUE;
        }
        int theirs = Math.max(1, liveLeases.applyAsInt(steadiestWorker));
        return Math.max(1, (int) Math.ceil(theirs * mine.peakBytesPerNano / steadiest));
    }

    private static boolean recent(Pace p, long now) {
        return now - p.seenAt <= QUIET_NANOS;
    }

    private void summarize(long now) {
        if (summarized && now - summarizedAt < SUMMARY_EVERY_NANOS) {
            return;
        }
        String steadyWorker = null;
        double steady = 0;
        double max = 0;
        double sum = 0;
        for (Map.Entry<String, Pace> e : byWorker.entrySet()) {
            Pace p = e.getValue();
            if (recent(p, now)) {
                max = Math.max(max, p.bytesPerNano);
                sum += p.bytesPerNano;
                if (p.windows >= KNOWN_WINDOWS && p.steadyBytesPerNano > steady) {
                    steady = p.steadyBytesPerNano;
                    steadyWorker = e.getKey();
                }
            }
        }
        fastest = max;
        total = sum;
        steadiestWorker = steadyWorker;
        steadiest = steady;
        summarized = true;
        summarizedAt = now;
    }
}
