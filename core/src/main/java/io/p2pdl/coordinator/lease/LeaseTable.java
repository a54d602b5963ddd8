package io.p2pdl.coordinator.lease;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Which chunk of which download is queued, leased, written or done, and who holds which lease.
 * Pure logic with an injected monotonic clock, so it is tested without time passing.
 *
 * <p>One monitor guards everything: every operation is a few map look-ups, far cheaper than the
 * RPC around it. Data is never written under this monitor; writes are serialized per chunk by its
 * {@link TransferClaim}. See {@code docs/chunk-state-machine.md} for the states and transitions.
 */
public final class LeaseTable {

    /** The mutable lease record behind a {@link Lease} snapshot. */
    static final class Entry {
        final String id;
        final ChunkBook book;
        final int chunk;
        final String workerId;
        final boolean duplicate;
        final long issuedAt;
        long expiresAt;
        /** No longer counts as holding the chunk (expired, or its chunk was written). */
        boolean finished;
        long forgetAt;

        Entry(String id, ChunkBook book, int chunk, String workerId, boolean duplicate, long issuedAt, long expiresAt) {
            this.id = id;
            this.book = book;
            this.chunk = chunk;
            this.workerId = workerId;
            this.duplicate = duplicate;
            this.expiresAt = expiresAt;
            this.issuedAt = issuedAt;
        }

        Lease snapshot() {
            return new Lease(id, book.downloadId, chunk, book.plan.offset(chunk), book.plan.length(chunk), workerId,
                    expiresAt, duplicate, issuedAt);
        }
    }

    private record Forget(Entry entry, long at) {
    }

    private final LeasePolicy policy;
    private final LongSupplier clock;
    private final Map<String, ChunkBook> books = new LinkedHashMap<>();
    private final Map<String, Entry> leases = new HashMap<>();
    /** The leases not finished: what the expiry sweep checks (bounded by workers × their slots). */
    private final Map<String, Entry> live = new HashMap<>();
    /** Live leases per worker and per origin, kept with {@link #live} so the caps cost O(1) per lease. */
    private final Map<String, int[]> liveByWorker = new HashMap<>();
    private final Map<String, int[]> liveByOrigin = new HashMap<>();
    /**
     * Finished leases in the order they finished, each with its forget time: the sweep pops what is
     * due instead of scanning every lease handed out within the last TTL (a million at 30 k/s).
     */
    private final ArrayDeque<Forget> forgetting = new ArrayDeque<>();
    private final SecureRandom random = new SecureRandom();
    private int roundRobin;
    private long expirations;
    private long endgameDuplicates;

    private Runnable workAvailable = () -> { };
    private Consumer<String> allWritten = id -> { };

    public LeaseTable(LeasePolicy policy, LongSupplier nanoClock) {
        this.policy = policy;
        this.clock = nanoClock;
    }

    /** Starts tracking a download; chunks set in {@code done} are durable already. */
    public synchronized void register(String downloadId, ChunkPlan plan, BitSet done) {
        register(downloadId, plan, done, null);
    }

    /**
     * As {@link #register(String, ChunkPlan, BitSet)}, for a download fetched from {@code origin}
     * ({@code scheme://host:port}, or null if unknown): its live leases count against
     * {@link LeasePolicy#maxLeasesPerOrigin()}, each being one connection to that origin.
     */
    public synchronized void register(String downloadId, ChunkPlan plan, BitSet done, String origin) {
        if (books.containsKey(downloadId)) {
            throw new IllegalStateException("download " + downloadId + " already registered");
        }
        books.put(downloadId, new ChunkBook(downloadId, plan, done, origin));
        workAvailable.run();
    }

    /**
     * Sets what runs (under this table's lock, so it must only signal) when chunks may have
     * become available to lease: a download registered or resumed. Embedded workers use it to ask
     * at once instead of waiting out their "no work" backoff.
     */
    public synchronized void onWorkAvailable(Runnable listener) {
        this.workAvailable = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Sets what runs (under this table's lock, so it must only signal) when the last chunk of a
     * download is written: the service makes the chunks durable at once instead of at its next
     * periodic flush, so verification starts without delay.
     */
    public synchronized void onAllWritten(Consumer<String> listener) {
        this.allWritten = Objects.requireNonNull(listener, "listener");
    }

    /** Stops tracking a download: its leases die and every write claim is revoked. */
    public synchronized void unregister(String downloadId) {
        ChunkBook book = books.remove(downloadId);
        if (book == null) {
            return;
        }
        for (ChunkBook.InFlight f : book.inFlight.values()) {
            if (f.claim != null) {
                f.claim.invalidate();
            }
        }
        leases.values().removeIf(e -> e.book == book);
        for (Entry e : new ArrayList<>(live.values())) {
            if (e.book == book) {
                removeLive(e);
            }
        }
    }

    public synchronized boolean isRegistered(String downloadId) {
        return books.containsKey(downloadId);
    }

    /** Pauses ({@code false}) or resumes handing out leases for a download; transfers still land. */
    public synchronized void setActive(String downloadId, boolean active) {
        book(downloadId).active = active;
        if (active) {
            workAvailable.run();
        }
    }

    /**
     * Leases one chunk to {@code workerId}: the next queued chunk, taking downloads in turn; when
     * nothing is queued anywhere, an endgame duplicate of the oldest in-flight chunk. Nothing when
     * the worker already holds {@link LeasePolicy#maxLeasesPerWorker()} live leases.
     */
    public synchronized Optional<Lease> acquire(String workerId) {
        if (atLeaseCap(workerId)) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        List<ChunkBook> active = activeBooks();
        int n = active.size();
        for (int i = 0; i < n; i++) {
            ChunkBook book = active.get((roundRobin + i) % n);
            if (atOriginCap(book)) {
                continue;
            }
            int chunk = book.takeQueued(now);
            if (chunk >= 0) {
                roundRobin = (roundRobin + i + 1) % n;
                ChunkBook.InFlight f = new ChunkBook.InFlight(chunk, now);
                book.inFlight.put(chunk, f);
                return Optional.of(newLease(book, f, workerId, false, now));
            }
        }
        return endgame(active, workerId, now);
    }

    private Optional<Lease> endgame(List<ChunkBook> active, String workerId, long now) {
        if (policy.maxDuplicates() <= 0) {
            return Optional.empty();
        }
        ChunkBook bestBook = null;
        ChunkBook.InFlight best = null;
        for (ChunkBook book : active) {
            if (!book.nothingQueued() || atOriginCap(book)) {
                continue;
            }
            long late = lateAfter(book);
            for (ChunkBook.InFlight f : book.inFlight.values()) {
                boolean eligible = book.state(f.chunk) == ChunkBook.LEASED && !f.leases.isEmpty()
                        && now - f.firstLeasedAt >= late
                        && f.leases.size() <= policy.maxDuplicates() && !f.holdsWorker(workerId);
                if (eligible && (best == null || f.firstLeasedAt < best.firstLeasedAt)) {
                    best = f;
                    bestBook = book;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        endgameDuplicates++;
        return Optional.of(newLease(bestBook, best, workerId, true, now));
    }

    /**
     * How long a chunk must have been in flight before it is worth a duplicate: twice the median
     * time chunks of this download took recently, and at least the policy's floor. Duplicating
     * chunks that are merely young would make the origin serve them twice for nothing.
     */
    private long lateAfter(ChunkBook book) {
        long median = book.medianDuration();
        long floor = policy.endgameMinAge().toNanos();
        return median < 0 ? floor : Math.max(floor, 2 * median);
    }

    private Lease newLease(ChunkBook book, ChunkBook.InFlight f, String workerId, boolean duplicate, long now) {
        String id = Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        Entry e = new Entry(id, book, f.chunk, workerId, duplicate, now, now + policy.ttl().toNanos());
        leases.put(id, e);
        addLive(e);
        f.leases.add(e);
        return e.snapshot();
    }

    private List<ChunkBook> activeBooks() {
        List<ChunkBook> active = new ArrayList<>(books.size());
        for (ChunkBook b : books.values()) {
            if (b.active) {
                active.add(b);
            }
        }
        return active;
    }

    /** Live leases (not expired, released or written) held by {@code workerId}. */
    public synchronized int liveLeases(String workerId) {
        int[] n = liveByWorker.get(workerId);
        return n == null ? 0 : n[0];
    }

    /** Live leases (connections) on {@code origin} ({@code scheme://host:port}) over all its downloads. */
    public synchronized int liveLeasesOnOrigin(String origin) {
        int[] n = liveByOrigin.get(origin);
        return n == null ? 0 : n[0];
    }

    private boolean atOriginCap(ChunkBook book) {
        int cap = policy.maxLeasesPerOrigin();
        return cap > 0 && book.origin != null && liveLeasesOnOrigin(book.origin) >= cap;
    }

    private void addLive(Entry e) {
        if (live.put(e.id, e) == null) {
            countLive(e, 1);
        }
    }

    private void removeLive(Entry e) {
        if (live.remove(e.id) != null) {
            countLive(e, -1);
        }
    }

    private void countLive(Entry e, int delta) {
        count(liveByWorker, e.workerId, delta);
        if (e.book.origin != null) {
            count(liveByOrigin, e.book.origin, delta);
        }
    }

    private static void count(Map<String, int[]> counts, String key, int delta) {
        int[] n = counts.computeIfAbsent(key, k -> new int[1]);
        n[0] += delta;
        if (n[0] <= 0) {
            counts.remove(key);
        }
    }

    /** True when {@code workerId} holds as many live leases as the policy allows one worker. */
    public synchronized boolean atLeaseCap(String workerId) {
        return liveLeases(workerId) >= policy.maxLeasesPerWorker();
    }

    /**
     * How long {@code workerId}, just refused work, should wait before asking again: the
     * policy's idle wait when it is at its lease cap (a queued chunk becoming ready does not
     * help it), else {@link #retryAfterNanos()}.
     */
    public synchronized long retryAfterNanos(String workerId) {
        return atLeaseCap(workerId) ? policy.noWorkRetryAfter().toNanos() : retryAfterNanos();
    }

    /** How long an idle worker should wait before asking again, in nanoseconds. */
    public synchronized long retryAfterNanos() {
        long now = clock.getAsLong();
        long wait = policy.noWorkRetryAfter().toNanos();
        for (ChunkBook b : books.values()) {
            long ready = b.active ? b.earliestRetry() : -1;
            if (ready >= 0) {
                wait = Math.min(wait, Math.max(ready - now, 0));
            }
        }
        return wait;
    }

    /**
     * Starts a transfer for a lease: checks the header against the lease and the plan, then either
     * claims the chunk's region for writing (superseding an older transfer of the same chunk) or, when
     * the chunk is already written, grants a verify-only ticket. A lease that expired recently (still
     * remembered) is accepted while its chunk is unwritten.
     */
    public synchronized Result<TransferTicket> beginTransfer(String leaseId, String downloadId, long chunkIndex,
            long offset, long length) {
        Entry e = leases.get(leaseId);
        if (e == null) {
            return Result.rejected(TransferRejection.UNKNOWN_LEASE, "lease " + leaseId + " is unknown or expired");
        }
        ChunkBook book = e.book;
        if (!book.downloadId.equals(downloadId) || chunkIndex != e.chunk || offset != book.plan.offset(e.chunk)
                || length != book.plan.length(e.chunk)) {
            return Result.rejected(TransferRejection.RANGE_MISMATCH, "header (download " + downloadId + ", chunk "
                    + chunkIndex + ", offset " + offset + ", length " + length + ") does not match lease of chunk "
                    + e.chunk + " at " + book.plan.offset(e.chunk) + "+" + book.plan.length(e.chunk));
        }
        long now = clock.getAsLong();
        byte state = book.state(e.chunk);
        if (state == ChunkBook.WRITTEN || state == ChunkBook.DONE) {
            return Result.ok(new TransferTicket(e.snapshot(), null, true));
        }
        ChunkBook.InFlight f = book.inFlight.get(e.chunk);
        if (f == null) {
            // The lease expired and the chunk was requeued; take it back rather than waste the bytes.
            book.set(e.chunk, ChunkBook.LEASED);
            f = new ChunkBook.InFlight(e.chunk, now);
            book.inFlight.put(e.chunk, f);
        }
        if (e.finished) {
            e.finished = false;
            addLive(e);
            f.leases.add(e);
        }
        if (f.claim != null) {
            f.claim.invalidate();
        }
        f.claim = new TransferClaim(e.id);
        e.expiresAt = now + policy.ttl().toNanos();
        return Result.ok(new TransferTicket(e.snapshot(), f.claim, false));
    }

    /** The lease with this id, if it is known (live or recently finished). */
    public synchronized Optional<Lease> find(String leaseId) {
        Entry e = leases.get(leaseId);
        return e == null ? Optional.empty() : Optional.of(e.snapshot());
    }

    /** Extends a lease because its transfer is making progress. */
    public synchronized void renew(String leaseId) {
        Entry e = leases.get(leaseId);
        if (e != null && !e.finished) {
            e.expiresAt = clock.getAsLong() + policy.ttl().toNanos();
        }
    }

    /**
     * Ends a transfer. A verified transfer that still holds its claim marks the chunk written; the
     * chunk's other leases finish (their late transfers will be verify-only). A failed transfer only
     * drops its claim: the worker may retry with the same lease until it expires.
     *
     * @return the outcome, or SUPERSEDED when a newer transfer owns the chunk
     */
    public synchronized Result<Boolean> finishTransfer(TransferTicket ticket, boolean verified) {
        Entry e = leases.get(ticket.lease().leaseId());
        ChunkBook book = books.get(ticket.lease().downloadId());
        if (ticket.verifyOnly()) {
            return Result.ok(false);
        }
        ChunkBook.InFlight f = book == null ? null : book.inFlight.get(ticket.lease().chunk());
        if (book == null || e == null) {
            return Result.rejected(TransferRejection.DOWNLOAD_NOT_ACTIVE, "download is no longer active");
        }
        if (f == null || f.claim != ticket.claim() || !ticket.claim().isValid()) {
            return Result.rejected(TransferRejection.SUPERSEDED, "another transfer of chunk " + e.chunk + " took over");
        }
        f.claim = null;
        if (!verified) {
            requeueIfAbandoned(book, f, clock.getAsLong());
            return Result.ok(false);
        }
        book.inFlight.remove(f.chunk);
        book.markWritten(f.chunk);
        long now = clock.getAsLong();
        book.recordDuration(now - f.firstLeasedAt);
        for (Entry other : f.leases) {
            finish(other, now);
        }
        if (book.allWritten()) {
            allWritten.accept(book.downloadId);
        }
        return Result.ok(true);
    }

    /**
     * A worker gives a lease back without data. The chunk is requeued (after a backoff that grows
     * with its consecutive failures, and at least {@code retryAfterNanos}) unless another lease or a
     * transfer still covers it.
     */
    public synchronized ReleaseOutcome release(String leaseId, boolean countsAsFailure, long retryAfterNanos) {
        Entry e = leases.remove(leaseId);
        if (e != null) {
            removeLive(e);
        }
        if (e == null || e.finished) {
            return ReleaseOutcome.IGNORED;
        }
        ChunkBook book = e.book;
        ChunkBook.InFlight f = book.inFlight.get(e.chunk);
        if (f == null) {
            return ReleaseOutcome.IGNORED;
        }
        f.leases.remove(e);
        if (f.claim != null && f.claim.leaseId().equals(leaseId)) {
            // The worker gave up on its own transfer; the release may overtake the stream's cancel.
            f.claim.invalidate();
            f.claim = null;
        }
        int failures = countsAsFailure ? book.recordFailure(e.chunk) : book.failures(e.chunk);
        if (countsAsFailure && failures >= policy.maxChunkFailures()) {
            return ReleaseOutcome.TOO_MANY_FAILURES;
        }
        long now = clock.getAsLong();
        long backoff = failures == 0 ? 0 : policy.backoffNanos(failures);
        return requeueIfAbandoned(book, f, now + Math.max(backoff, retryAfterNanos))
                ? ReleaseOutcome.REQUEUED : ReleaseOutcome.STILL_LEASED;
    }

    /**
     * Expires leases whose worker went quiet and requeues their chunks at once; forgets finished
     * leases after a grace period of one TTL (until then a late transfer is still recognised).
     *
     * @return number of leases that expired in this sweep
     */
    public synchronized int expire() {
        long now = clock.getAsLong();
        while (!forgetting.isEmpty() && now - forgetting.peekFirst().at() >= 0) {
            Forget due = forgetting.pollFirst();
            Entry e = due.entry();
            // Skip stale items: the lease was revived by a late transfer, finished again later, or released.
            if (e.finished && e.forgetAt == due.at() && leases.get(e.id) == e) {
                leases.remove(e.id);
            }
        }
        int expired = 0;
        for (Iterator<Entry> it = live.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.expiresAt < 0) {
                continue;
            }
            expired++;
            it.remove();
            countLive(e, -1);
            finish(e, now);
            ChunkBook.InFlight f = e.book.inFlight.get(e.chunk);
            if (f == null) {
                continue;
            }
            f.leases.remove(e);
            if (f.leases.isEmpty() && f.claim != null) {
                // No frame arrived for a whole TTL: the transfer is stalled, so its claim goes too.
                f.claim.invalidate();
                f.claim = null;
            }
            requeueIfAbandoned(e.book, f, now);
        }
        expirations += expired;
        return expired;
    }

    /** The lease no longer holds its chunk; it is remembered one more TTL for late transfers. */
    private void finish(Entry e, long now) {
        e.finished = true;
        e.forgetAt = now + policy.ttl().toNanos();
        removeLive(e);
        forgetting.addLast(new Forget(e, e.forgetAt));
    }

    /** Requeues an in-flight chunk that no lease and no transfer covers any more. */
    private static boolean requeueIfAbandoned(ChunkBook book, ChunkBook.InFlight f, long readyAt) {
        if (!f.leases.isEmpty() || f.claim != null) {
            return false;
        }
        book.inFlight.remove(f.chunk);
        book.requeue(f.chunk, readyAt);
        return true;
    }

    /** Takes the chunks written since the last call, to be made durable. */
    public synchronized List<Integer> takeWritten(String downloadId) {
        ChunkBook book = books.get(downloadId);
        return book == null ? List.of() : book.takeWrittenPending();
    }

    /**
     * Marks chunks durable (their bytes forced to disk and journaled).
     *
     * @return true when every chunk of the download is now done
     */
    public synchronized boolean markDone(String downloadId, List<Integer> chunks) {
        ChunkBook book = books.get(downloadId);
        if (book == null) {
            return false;
        }
        for (int chunk : chunks) {
            book.markDone(chunk);
        }
        return book.allDone();
    }

    public synchronized ChunkCounts counts(String downloadId) {
        return book(downloadId).counts();
    }

    public synchronized Optional<ChunkCounts> countsIfRegistered(String downloadId) {
        ChunkBook book = books.get(downloadId);
        return book == null ? Optional.empty() : Optional.of(book.counts());
    }

    /** Durable chunks of a download as a bitmap. */
    /** Bytes from the start of the file covered by done chunks only; 0 when not registered. */
    public synchronized long donePrefixBytes(String downloadId) {
        ChunkBook book = books.get(downloadId);
        if (book == null) {
            return 0;
        }
        int prefix = book.donePrefix();
        return prefix == 0 ? 0 : book.plan.offset(prefix - 1) + book.plan.length(prefix - 1);
    }

    public synchronized BitSet doneBitmap(String downloadId) {
        return book(downloadId).doneBitmap();
    }

    public synchronized List<String> downloadIds() {
        return new ArrayList<>(books.keySet());
    }

    /** Leases expired since start. */
    public synchronized long expirations() {
        return expirations;
    }

    /** Endgame duplicate leases handed out since start. */
    public synchronized long endgameDuplicates() {
        return endgameDuplicates;
    }

    /** Live and remembered leases (for tests and metrics). */
    public synchronized int leaseCount() {
        return leases.size();
    }

    private ChunkBook book(String downloadId) {
        ChunkBook book = books.get(downloadId);
        if (book == null) {
            throw new IllegalArgumentException("download " + downloadId + " is not registered");
        }
        return book;
    }
}
