package io.p2pdl.coordinator.lease;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The lease records of a {@link LeaseTable}, one slot per lease in parallel primitive arrays: the
 * live set the expiry sweep walks, the live counts per worker and per origin behind the caps, and
 * the queue of finished leases to forget once their grace period is over. Not thread-safe: the
 * table guards it.
 *
 * <p>Why arrays: at 20,000 leases/s a table remembers about a million finished leases (one TTL of
 * them). As objects (record, id string, map node, queue node) each of them survived a young
 * collection or two and was copied there, and those copies were the table's latency: p99 40–60 ms
 * in {@code LeaseBenchmark}. Here a lease allocates nothing that outlives the call handing it out;
 * slots are reused once forgotten. The arrays come in pages of {@value #PAGE} slots so that growing
 * never copies them, and the live set, the queue of finished leases and the free list are lists
 * linked through the slots themselves. See {@code docs/chunk-state-machine.md}.
 *
 * <p>A lease id is 16 hex digits: the top bit set (so the width is fixed), 31 random bits, and the
 * slot in the low 32 bits. Finding a lease parses the slot and compares the whole id, so a stale or
 * forged id whose slot was reused is unknown, as before.
 */
final class LeaseSlots {

    /** One worker's tally: its live leases, and the slots naming it (the entry goes when none do). */
    static final class WorkerTally {
        final String id;
        int live;
        int slots;

        WorkerTally(String id) {
            this.id = id;
        }
    }

    private static final byte DUPLICATE = 1;
    private static final byte FINISHED = 2;
    private static final int SHIFT = 13;
    static final int PAGE = 1 << SHIFT;
    private static final int MASK = PAGE - 1;
    private static final int NONE = -1;

    private final SecureRandom random = new SecureRandom();
    private long[][] ids = new long[0][];
    private int[][] chunks = new int[0][];
    private ChunkBook[][] books = new ChunkBook[0][];
    private WorkerTally[][] workers = new WorkerTally[0][];
    private long[][] issuedAt = new long[0][];
    private long[][] expiresAt = new long[0][];
    private long[][] forgetAt = new long[0][];
    /** Bytes the lease's current transfer delivered so far. */
    private long[][] received = new long[0][];
    private byte[][] flags = new byte[0][];
    /** The live list: leases not finished, what the expiry sweep walks. */
    private final Links live = new Links();
    /** Finished leases in the order they finished (so in forget order), then free slots. */
    private final Links finished = new Links();
    private final Links free = new Links();
    /** Slots ever used. */
    private int highWater;
    private int size;
    private final Map<String, WorkerTally> byWorker = new HashMap<>();
    private final Map<String, int[]> liveByOrigin = new HashMap<>();

    /**
     * A doubly linked list of slots through per-slot prev/next arrays. The live list is one; the
     * finished and free lists share the other pair, as a slot is on at most one of them.
     */
    private final class Links {
        int[][] prev = new int[0][];
        int[][] next = new int[0][];
        int head = NONE;
        int tail = NONE;

        boolean contains(int slot) {
            return slot == head || get(prev, slot) != NONE;
        }

        void append(int slot) {
            set(prev, slot, tail);
            set(next, slot, NONE);
            if (tail == NONE) {
                head = slot;
            } else {
                set(next, tail, slot);
            }
            tail = slot;
        }

        void unlink(int slot) {
            int p = get(prev, slot);
            int n = get(next, slot);
            if (p == NONE) {
                head = n;
            } else {
                set(next, p, n);
            }
            if (n == NONE) {
                tail = p;
            } else {
                set(prev, n, p);
            }
            set(prev, slot, NONE);
            set(next, slot, NONE);
        }
    }

    LeaseSlots() {
        free.prev = finished.prev;
        free.next = finished.next;
    }

    private static int get(int[][] pages, int slot) {
        return pages[slot >>> SHIFT][slot & MASK];
    }

    private static void set(int[][] pages, int slot, int value) {
        pages[slot >>> SHIFT][slot & MASK] = value;
    }

    /** Records a new lease (not yet live) and returns its slot. */
    int add(ChunkBook book, int chunk, String workerId, boolean duplicate, long issued, long expires) {
        int slot;
        if (free.head != NONE) {
            slot = free.head;
            free.unlink(slot);
        } else {
            slot = newSlot();
        }
        int p = slot >>> SHIFT;
        int i = slot & MASK;
        ids[p][i] = Long.MIN_VALUE | ((long) (random.nextInt() & 0x7fffffff) << 32) | slot;
        chunks[p][i] = chunk;
        books[p][i] = book;
        WorkerTally tally = byWorker.computeIfAbsent(workerId, WorkerTally::new);
        tally.slots++;
        workers[p][i] = tally;
        issuedAt[p][i] = issued;
        expiresAt[p][i] = expires;
        forgetAt[p][i] = 0;
        received[p][i] = 0;
        flags[p][i] = duplicate ? DUPLICATE : 0;
        size++;
        return slot;
    }

    private int newSlot() {
        if (highWater == ids.length * PAGE) {
            ids = withPage(ids);
            chunks = withPage(chunks);
            books = withPage(books, ChunkBook[]::new);
            workers = withPage(workers, WorkerTally[]::new);
            issuedAt = withPage(issuedAt);
            expiresAt = withPage(expiresAt);
            forgetAt = withPage(forgetAt);
            received = withPage(received);
            flags = withPage(flags);
            live.prev = withPage(live.prev);
            live.next = withPage(live.next);
            finished.prev = withPage(finished.prev);
            finished.next = withPage(finished.next);
            free.prev = finished.prev;
            free.next = finished.next;
        }
        int slot = highWater++;
        set(live.prev, slot, NONE);
        set(live.next, slot, NONE);
        set(finished.prev, slot, NONE);
        set(finished.next, slot, NONE);
        return slot;
    }

    private static long[][] withPage(long[][] pages) {
        long[][] more = Arrays.copyOf(pages, pages.length + 1);
        more[pages.length] = new long[PAGE];
        return more;
    }

    private static int[][] withPage(int[][] pages) {
        int[][] more = Arrays.copyOf(pages, pages.length + 1);
        more[pages.length] = new int[PAGE];
        return more;
    }

    private static byte[][] withPage(byte[][] pages) {
        byte[][] more = Arrays.copyOf(pages, pages.length + 1);
        more[pages.length] = new byte[PAGE];
        return more;
    }

    private static <T> T[][] withPage(T[][] pages, IntFunction<T[]> page) {
        T[][] more = Arrays.copyOf(pages, pages.length + 1);
        more[pages.length] = page.apply(PAGE);
        return more;
    }

    /** The slot of the lease with this id, or -1 when it is unknown (never issued, or forgotten). */
    int find(String leaseId) {
        if (leaseId == null || leaseId.length() != 16) {
            return NONE;
        }
        long id;
        try {
            id = Long.parseUnsignedLong(leaseId, 16);
        } catch (NumberFormatException e) {
            return NONE;
        }
        int slot = (int) id;
        return slot >= 0 && slot < highWater && ids[slot >>> SHIFT][slot & MASK] == id ? slot : NONE;
    }

    String id(int slot) {
        return Long.toHexString(ids[slot >>> SHIFT][slot & MASK]);
    }

    int chunk(int slot) {
        return chunks[slot >>> SHIFT][slot & MASK];
    }

    ChunkBook book(int slot) {
        return books[slot >>> SHIFT][slot & MASK];
    }

    private WorkerTally worker(int slot) {
        return workers[slot >>> SHIFT][slot & MASK];
    }

    String workerId(int slot) {
        return worker(slot).id;
    }

    long issuedAt(int slot) {
        return issuedAt[slot >>> SHIFT][slot & MASK];
    }

    long expiresAt(int slot) {
        return expiresAt[slot >>> SHIFT][slot & MASK];
    }

    void expiresAt(int slot, long nanos) {
        expiresAt[slot >>> SHIFT][slot & MASK] = nanos;
    }

    long received(int slot) {
        return received[slot >>> SHIFT][slot & MASK];
    }

    void received(int slot, long bytes) {
        received[slot >>> SHIFT][slot & MASK] = bytes;
    }

    boolean duplicate(int slot) {
        return (flags[slot >>> SHIFT][slot & MASK] & DUPLICATE) != 0;
    }

    /** True when the lease no longer holds its chunk (expired, or its chunk was written). */
    boolean finished(int slot) {
        return (flags[slot >>> SHIFT][slot & MASK] & FINISHED) != 0;
    }

    /** A finished lease is taken back by a late transfer: it holds its chunk again. */
    void revive(int slot) {
        flags[slot >>> SHIFT][slot & MASK] &= ~FINISHED;
        finished.unlink(slot);
        addLive(slot);
    }

    /**
     * The lease stops holding its chunk; it is remembered until {@code forget} (a time no earlier
     * than that of any lease finished before it), then its slot is freed.
     */
    void finish(int slot, long forget) {
        removeLive(slot);
        if (finished(slot)) {
            finished.unlink(slot);
        }
        flags[slot >>> SHIFT][slot & MASK] |= FINISHED;
        forgetAt[slot >>> SHIFT][slot & MASK] = forget;
        finished.append(slot);
    }

    /** Frees the finished leases whose grace period ended by {@code now}. */
    void forgetDue(long now) {
        while (finished.head != NONE && now - forgetAt[finished.head >>> SHIFT][finished.head & MASK] >= 0) {
            free(finished.head);
        }
    }

    /** Forgets a lease at once: its id becomes unknown and its slot reusable. */
    void free(int slot) {
        removeLive(slot);
        if (finished(slot)) {
            finished.unlink(slot);
        }
        int p = slot >>> SHIFT;
        int i = slot & MASK;
        WorkerTally tally = workers[p][i];
        if (--tally.slots == 0) {
            byWorker.remove(tally.id);
        }
        ids[p][i] = 0;
        books[p][i] = null;
        workers[p][i] = null;
        flags[p][i] = 0;
        free.append(slot);
        size--;
    }

    /** Forgets every lease of a download. */
    void freeAll(ChunkBook book) {
        for (int slot = 0; slot < highWater; slot++) {
            if (book(slot) == book) {
                free(slot);
            }
        }
    }

    void addLive(int slot) {
        if (!live.contains(slot)) {
            live.append(slot);
            countLive(slot, 1);
        }
    }

    void removeLive(int slot) {
        if (live.contains(slot)) {
            live.unlink(slot);
            countLive(slot, -1);
        }
    }

    private void countLive(int slot, int delta) {
        worker(slot).live += delta;
        String origin = book(slot).origin;
        if (origin != null) {
            int[] n = liveByOrigin.computeIfAbsent(origin, k -> new int[1]);
            n[0] += delta;
            if (n[0] <= 0) {
                liveByOrigin.remove(origin);
            }
        }
    }

    /** The first live lease, or -1; with {@link #nextLive} a walk that may finish the lease it is on. */
    int firstLive() {
        return live.head;
    }

    /** The live lease after {@code slot}; read it before finishing {@code slot}. */
    int nextLive(int slot) {
        return get(live.next, slot);
    }

    /** Live leases held by {@code workerId}. */
    int liveOfWorker(String workerId) {
        WorkerTally tally = byWorker.get(workerId);
        return tally == null ? 0 : tally.live;
    }

    /** Live leases on {@code origin} over all its downloads. */
    int liveOnOrigin(String origin) {
        int[] n = liveByOrigin.get(origin);
        return n == null ? 0 : n[0];
    }

    /** Leases known: live and remembered. */
    int size() {
        return size;
    }
}
