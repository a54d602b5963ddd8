package io.p2pdl.coordinator.lease;

import java.util.HashMap;
import java.util.Map;

/**
 * How fast each worker gets one download's chunks written, so that the last chunks go to the
 * workers that will finish them first. Not thread-safe: the {@link LeaseTable} guards it.
 *
 * <p>On links of different speeds a slow host that takes one of the last chunks holds up the whole
 * download: with 4 MiB chunks and 4 slots a 10 Mbit/s host needs 13 s per chunk while an 80 Mbit/s
 * host needs 1.7 s. The endgame can duplicate such a chunk, but a duplicate cancels the slow
 * transfer and what it fetched is wasted origin traffic. Instead a slow worker is not given a
 * queued chunk when the faster workers, by themselves, are expected to write every queued chunk
 * before it would have written that one ({@link #othersFinishFirst}); and an endgame duplicate is
 * made only when it is expected to beat the holder ({@link #expectedWrite}). See
 * {@code docs/chunk-state-machine.md} ("Tail").
 */
final class WorkerPaces {

    /**
     * A worker whose chunks take less than this many times the fastest worker's, or less than
     * {@link #SLOW_MARGIN_NANOS} longer, is never held back: among hosts of one kind paces differ
     * by noise, and when chunks take milliseconds holding anyone back gains nothing.
     */
    static final double SLOW_FACTOR = 1.5;
    static final long SLOW_MARGIN_NANOS = 1_000_000_000L;
    private static final long SUMMARY_EVERY_NANOS = 100_000_000L;
    private static final long SEEN_GRACE_NANOS = 1_000_000_000L;
    /** Progress below this tells too little about a worker's pace (first frames are bursty). */
    private static final long MIN_PROGRESS_BYTES = 256 * 1024;

    /** One worker's pace. */
    private static final class Pace {
        /**
         * Moving average of the time from lease to written of the chunks it wrote; before the
         * first, extrapolated from a transfer's progress; 0 while nothing is known.
         */
        long chunkNanos;
        /** Whether {@link #chunkNanos} comes from written chunks. */
        boolean written;
        /** Most leases it was seen holding at once: its slots. */
        int slots;
        /** When it last got a lease of this download or wrote one of its chunks. */
        long seenAt;
    }

    private final Map<String, Pace> byWorker = new HashMap<>();
    private boolean summarized;
    private long summarizedAt;
    /** Of the workers seen recently: the fastest one's chunk time, and all their slots. */
    private long fastestNanos;
    private int slotsSeen;

    /** {@code workerId} got a lease of this download and now holds {@code liveLeases} in all. */
    void leased(String workerId, int liveLeases, long now) {
        Pace p = byWorker.computeIfAbsent(workerId, k -> new Pace());
        p.slots = Math.max(p.slots, liveLeases);
        p.seenAt = now;
    }

    /** {@code workerId} wrote a chunk {@code nanos} after it was leased the chunk. */
    void wrote(String workerId, long nanos, long now) {
        Pace p = byWorker.computeIfAbsent(workerId, k -> new Pace());
        p.chunkNanos = p.written ? (3 * p.chunkNanos + nanos) / 4 : nanos;
        p.written = true;
        p.slots = Math.max(p.slots, 1);
        p.seenAt = now;
    }

    /**
     * {@code workerId}'s transfer of a chunk it was leased {@code elapsed} ago has delivered
     * {@code received} of {@code length} bytes: until it writes its first chunk, this extrapolation
     * is its pace, so a slow worker is known as one within seconds rather than after a whole chunk.
     */
    void progressed(String workerId, long received, long length, long elapsed, long now) {
        Pace p = byWorker.get(workerId);
        if (p == null || p.written || received < Math.min(length, MIN_PROGRESS_BYTES) || elapsed <= 0) {
            return;
        }
        p.chunkNanos = (long) ((double) length * elapsed / received);
        p.seenAt = now;
    }

    /** When a chunk {@code workerId} started at {@code startedAt} should be written, or -1 when unknown. */
    long expectedWrite(String workerId, long startedAt) {
        Pace p = byWorker.get(workerId);
        return p == null || p.chunkNanos == 0 ? -1 : startedAt + p.chunkNanos;
    }

    /**
     * True when the workers faster than {@code workerId}, by themselves, are expected to write
     * {@code queued} chunks before {@code workerId} would write one it took now: giving it one would
     * only make it the last to finish. A worker with a pace {@code d} writes, in a time {@code t > d}
     * from now, about {@code slots × (t − d) / d} chunks beyond those it holds (its slots free up
     * spread over the next {@code d}). Unknown paces (no chunk written yet) never hold anyone back.
     */
    boolean othersFinishFirst(String workerId, int queued, long now) {
        Pace mine = byWorker.get(workerId);
        if (mine == null || mine.chunkNanos == 0) {
            return false;
        }
        summarize(now);
        if (fastestNanos == 0 || mine.chunkNanos < SLOW_FACTOR * fastestNanos
                || mine.chunkNanos - fastestNanos < SLOW_MARGIN_NANOS) {
            return false;
        }
        // What every other worker could write meanwhile, at the fastest pace: far from the tail, stop here.
        if (queued > slotsSeen * ((double) mine.chunkNanos / fastestNanos - 1)) {
            return false;
        }
        double byOthers = 0;
        for (Pace p : byWorker.values()) {
            if (p != mine && p.chunkNanos > 0 && p.chunkNanos < mine.chunkNanos && recent(p, now)) {
                byOthers += p.slots * (double) (mine.chunkNanos - p.chunkNanos) / p.chunkNanos;
            }
        }
        return byOthers >= queued;
    }

    /** A worker still counts as fetching this download if it was heard of within two of its chunk times. */
    private static boolean recent(Pace p, long now) {
        return now - p.seenAt <= 2 * p.chunkNanos + SEEN_GRACE_NANOS;
    }

    private void summarize(long now) {
        if (summarized && now - summarizedAt < SUMMARY_EVERY_NANOS) {
            return;
        }
        long fastest = 0;
        int slots = 0;
        for (Pace p : byWorker.values()) {
            if (p.chunkNanos > 0 && recent(p, now)) {
                fastest = fastest == 0 ? p.chunkNanos : Math.min(fastest, p.chunkNanos);
                slots += p.slots;
            }
        }
        fastestNanos = fastest;
        slotsSeen = slots;
        summarized = true;
        summarizedAt = now;
    }
}
