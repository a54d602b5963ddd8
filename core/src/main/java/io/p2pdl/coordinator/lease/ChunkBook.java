package io.p2pdl.coordinator.lease;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The chunk states of one download. Not thread-safe: {@link LeaseTable} guards it.
 *
 * <p>Memory is one byte per chunk plus entries only for chunks in flight or waiting for a retry, so a
 * 1 TiB download of 1 MiB chunks costs about 1 MiB. Fresh chunks are handed out in file order by a
 * cursor; chunks that come back (failed fetch, expired lease) go to a retry heap ordered by the time
 * they may be leased again.
 */
final class ChunkBook {

    static final byte QUEUED = 0;
    static final byte LEASED = 1;
    static final byte WRITTEN = 2;
    static final byte DONE = 3;

    /** A chunk that has live leases or a transfer writing it. */
    static final class InFlight {
        final int chunk;
        final long firstLeasedAt;
        /** Slots (in {@link LeaseSlots}) of the leases holding this chunk. */
        private int[] leases = new int[2];
        private int leaseCount;
        /** The transfer writing the chunk's region of the file, if any. */
        TransferClaim claim;
        /**
         * Transfers of other leases (endgame duplicates) racing the claim's holder: they keep their
         * bytes aside and take the claim over only once complete and verified.
         */
        final List<TransferClaim> standbys = new ArrayList<>(1);

        InFlight(int chunk, long firstLeasedAt) {
            this.chunk = chunk;
            this.firstLeasedAt = firstLeasedAt;
        }

        void add(int slot) {
            if (leaseCount == leases.length) {
                leases = Arrays.copyOf(leases, leaseCount * 2);
            }
            leases[leaseCount++] = slot;
        }

        void remove(int slot) {
            for (int i = 0; i < leaseCount; i++) {
                if (leases[i] == slot) {
                    leases[i] = leases[--leaseCount];
                    return;
                }
            }
        }

        int size() {
            return leaseCount;
        }

        boolean isEmpty() {
            return leaseCount == 0;
        }

        int lease(int index) {
            return leases[index];
        }

        /** Revokes the standby claim of {@code leaseId}, if any. */
        void dropStandby(String leaseId) {
            for (int i = 0; i < standbys.size(); i++) {
                if (standbys.get(i).leaseId().equals(leaseId)) {
                    standbys.remove(i).invalidate();
                    return;
                }
            }
        }

        /** Revokes every claim: the chunk is written by someone else, or its transfers are dead. */
        void dropAllClaims() {
            if (claim != null) {
                claim.invalidate();
                claim = null;
            }
            dropStandbys();
        }

        void dropStandbys() {
            for (TransferClaim c : standbys) {
                c.invalidate();
            }
            standbys.clear();
        }
    }

    private record Retry(long readyAt, int chunk) {
    }

    final String downloadId;
    /** {@code scheme://host:port} the chunks come from, or null: the key of the per-origin lease cap. */
    final String origin;
    final ChunkPlan plan;
    private final byte[] state;
    private final int[] counts = new int[4];
    private int nextFresh;
    private final PriorityQueue<Retry> retries = new PriorityQueue<>((a, b) -> Long.compare(a.readyAt, b.readyAt));
    final Map<Integer, InFlight> inFlight = new HashMap<>();
    private final Map<Integer, Integer> failures = new HashMap<>();
    private final List<Integer> writtenPending = new ArrayList<>();
    private long doneBytes;
    private int donePrefix;
    /** Recent times from first lease to written, for the endgame's notion of "late". */
    private final long[] recentDurations = new long[32];
    private int recentCount;
    boolean active = true;
    /** How fast each worker fetches this download's chunks: who should take the last ones. */
    final WorkerPaces paces;
    /** Origin bytes the endgame duplicates made so far are expected to waste (the losing copies). */
    long duplicateWaste;

    ChunkBook(String downloadId, ChunkPlan plan, BitSet done, String origin) {
        this.downloadId = downloadId;
        this.origin = origin;
        this.plan = plan;
        this.paces = new WorkerPaces(plan.chunkSize());
        int n = plan.chunkCount();
        this.state = new byte[n];
        counts[QUEUED] = n;
        for (int i = done.nextSetBit(0); i >= 0 && i < n; i = done.nextSetBit(i + 1)) {
            set(i, DONE);
            doneBytes += plan.length(i);
        }
    }

    /** How many leading chunks are done (DONE is final, so this only grows). */
    int donePrefix() {
        while (donePrefix < state.length && state[donePrefix] == DONE) {
            donePrefix++;
        }
        return donePrefix;
    }

    byte state(int chunk) {
        return state[chunk];
    }

    void set(int chunk, byte newState) {
        counts[state[chunk]]--;
        state[chunk] = newState;
        counts[newState]++;
    }

    /** The next chunk that may be leased now, marked LEASED, or -1. */
    int takeQueued(long now) {
        while (!retries.isEmpty() && retries.peek().readyAt <= now) {
            int chunk = retries.poll().chunk;
            if (state[chunk] == QUEUED) {
                set(chunk, LEASED);
                return chunk;
            }
        }
        while (nextFresh < state.length && state[nextFresh] != QUEUED) {
            nextFresh++;
        }
        if (nextFresh < state.length) {
            int chunk = nextFresh++;
            set(chunk, LEASED);
            return chunk;
        }
        return -1;
    }

    /**
     * Puts a chunk back in the queue, leasable again at {@code readyAt}. A chunk behind the fresh
     * cursor (every chunk that was ever leased) goes to the retry heap; one ahead of it is found by
     * the cursor anyway.
     */
    void requeue(int chunk, long readyAt) {
        set(chunk, QUEUED);
        if (chunk < nextFresh) {
            retries.add(new Retry(readyAt, chunk));
        }
    }

    /**
     * Origin traffic endgame duplicates may cost this download: 1 % of its size, so that bytes
     * fetched stay within 1.02 × the size with retries and cancelled tails on top.
     */
    long duplicateBudget() {
        return plan.size() / 100;
    }

    /** Chunks waiting to be leased, now or after a backoff. */
    int queuedCount() {
        return counts[QUEUED];
    }

    /** True when no chunk is waiting at all, now or after a backoff. */
    boolean nothingQueued() {
        return counts[QUEUED] == 0;
    }

    /** Nanoseconds until the earliest retry becomes leasable, or -1 when none waits. */
    long earliestRetry() {
        return retries.isEmpty() ? -1 : retries.peek().readyAt;
    }

    int recordFailure(int chunk) {
        return failures.merge(chunk, 1, Integer::sum);
    }

    int failures(int chunk) {
        return failures.getOrDefault(chunk, 0);
    }

    /** Remembers how long a chunk took from its first lease to written. */
    void recordDuration(long nanos) {
        recentDurations[recentCount++ % recentDurations.length] = nanos;
    }

    /** Median of the recent chunk durations, or -1 before any chunk was written. */
    long medianDuration() {
        int n = Math.min(recentCount, recentDurations.length);
        if (n == 0) {
            return -1;
        }
        long[] copy = Arrays.copyOf(recentDurations, n);
        Arrays.sort(copy);
        return copy[n / 2];
    }

    void markWritten(int chunk) {
        set(chunk, WRITTEN);
        failures.remove(chunk);
        writtenPending.add(chunk);
    }

    List<Integer> takeWrittenPending() {
        List<Integer> taken = new ArrayList<>(writtenPending);
        writtenPending.clear();
        return taken;
    }

    void markDone(int chunk) {
        if (state[chunk] != DONE) {
            set(chunk, DONE);
            doneBytes += plan.length(chunk);
        }
    }

    boolean allDone() {
        return counts[DONE] == state.length;
    }

    /** True when every chunk is written or done: nothing is left to fetch. */
    boolean allWritten() {
        return counts[WRITTEN] + counts[DONE] == state.length;
    }

    ChunkCounts counts(LeaseSlots slots) {
        Set<String> workers = new HashSet<>();
        for (InFlight f : inFlight.values()) {
            for (int i = 0; i < f.size(); i++) {
                workers.add(slots.workerId(f.lease(i)));
            }
        }
        return new ChunkCounts(state.length, counts[QUEUED], counts[LEASED], counts[WRITTEN], counts[DONE],
                doneBytes, workers.size());
    }

    /** Copies the durable chunks as a bitmap. */
    BitSet doneBitmap() {
        BitSet done = new BitSet(state.length);
        for (int i = 0; i < state.length; i++) {
            if (state[i] == DONE) {
                done.set(i);
            }
        }
        return done;
    }
}
