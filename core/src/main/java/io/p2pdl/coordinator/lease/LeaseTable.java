package io.p2pdl.coordinator.lease;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Which chunk of which download is queued, leased, written or done, and who holds which lease.
 * Pure logic with an injected monotonic clock, so it is tested without time passing.
 *
 * <p>One monitor guards everything: every operation is a few map look-ups, far cheaper than the
 * RPC around it. Data is never written under this monitor; writes are serialized per chunk by its
 * {@link TransferClaim}. See {@code docs/chunk-state-machine.md} for the states and transitions.
 */
public final class LeaseTable {

    private final LeasePolicy policy;
    private final LongSupplier clock;
    private final Map<String, ChunkBook> books = new LinkedHashMap<>();
    /** Every lease, live or remembered, with the live counts behind the caps (O(1) per lease). */
    private final LeaseSlots slots = new LeaseSlots();
    private final ToIntFunction<String> liveOf = slots::liveOfWorker;
    private int roundRobin;
    private long expirations;
    private long endgameDuplicates;

    private final List<Runnable> workAvailable = new ArrayList<>();
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
        signalWork();
    }

    /**
     * Adds what runs (under this table's lock, so it must only signal) when chunks may have
     * become available to lease: a download registered or resumed, a lease given back, a transfer
     * ended (its chunk may be queued again, its worker is below its cap, a duplicate may be due).
     * GetChunk calls waiting for work (long poll) and embedded workers use it to ask at once
     * instead of waiting out their "no work" backoff.
     */
    public synchronized void onWorkAvailable(Runnable listener) {
        workAvailable.add(Objects.requireNonNull(listener, "listener"));
    }

    private void signalWork() {
        for (Runnable r : workAvailable) {
            r.run();
        }
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
            f.dropAllClaims();
        }
        slots.freeAll(book);
    }

    public synchronized boolean isRegistered(String downloadId) {
        return books.containsKey(downloadId);
    }

    /** Pauses ({@code false}) or resumes handing out leases for a download; transfers still land. */
    public synchronized void setActive(String downloadId, boolean active) {
        book(downloadId).active = active;
        if (active) {
            signalWork();
        }
    }

    /**
     * Leases one chunk to {@code workerId}: the next queued chunk, taking downloads in turn; when
     * nothing is queued anywhere, an endgame duplicate of the oldest in-flight chunk. Nothing when
     * the worker already holds {@link LeasePolicy#maxLeasesPerWorker()} live leases.
     */
    public synchronized Optional<Lease> acquire(String workerId) {
        return acquire(workerId, false);
    }

    /**
     * As above; with {@code queuedOnly} (a worker asking ahead for a slot that frees up soon) a
     * queued chunk or nothing: endgame duplicates go only to slots that can start at once.
     */
    public synchronized Optional<Lease> acquire(String workerId, boolean queuedOnly) {
        if (atLeaseCap(workerId)) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        List<ChunkBook> active = activeBooks();
        int n = active.size();
        for (int i = 0; i < n; i++) {
            ChunkBook book = active.get((roundRobin + i) % n);
            if (atOriginCap(book) || atPaceCap(book, workerId, now)
                    || book.paces.othersFinishFirst(workerId, book.queuedCount(), liveOf, now)) {
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
        return queuedOnly ? Optional.empty() : endgame(active, workerId, now);
    }

    private Optional<Lease> endgame(List<ChunkBook> active, String workerId, long now) {
        if (policy.maxDuplicates() <= 0) {
            return Optional.empty();
        }
        ChunkBook bestBook = null;
        ChunkBook.InFlight best = null;
        long bestGain = -1;
        long bestMine = -1;
        for (ChunkBook book : active) {
            // A slow worker leaves duplicates to faster ones that will be free and done sooner.
            if (!book.nothingQueued() || atOriginCap(book) || book.paces.othersFinishFirst(workerId, 1, liveOf, now)) {
                continue;
            }
            long late = lateAfter(book);
            long mine = book.paces.expectedNewWrite(workerId, slots.liveOfWorker(workerId), now);
            for (ChunkBook.InFlight f : book.inFlight.values()) {
                boolean candidate = book.state(f.chunk) == ChunkBook.LEASED && !f.isEmpty()
                        && f.size() <= policy.maxDuplicates() && !holdsWorker(f, workerId);
                long gain = candidate ? duplicateGain(book, f, mine, late, now) : -1;
                if (gain > bestGain || gain >= 0 && gain == bestGain && f.firstLeasedAt < best.firstLeasedAt) {
                    best = f;
                    bestBook = book;
                    bestGain = gain;
                    bestMine = mine;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        endgameDuplicates++;
        bestBook.duplicateWaste += expectedLoss(bestBook, best, bestMine, now);
        return Optional.of(newLease(bestBook, best, workerId, true, now));
    }

    /**
     * What a duplicate of {@code f} by a worker that would write it at {@code mine} (-1: its
     * bandwidth is unknown) gains, or -1 when it is not worth its origin traffic: the copy that is
     * verified second is wasted. When the asker's bandwidth is known and each holder's end can be
     * estimated (from its transfer's progress, or from its worker's bandwidth before its first
     * byte), only if the asker is expected to write the chunk clearly (by a quarter of its own
     * time) sooner and the bytes lost (see {@link #expectedLoss}) stay within the download's
     * {@link ChunkBook#duplicateBudget()}; the gain is the time saved, so the chunk whose holders
     * would end last is taken first (usually one barely started: little is lost). Otherwise once
     * the chunk is {@code late} (see {@link #lateAfter}), the gain being its age (oldest first).
     */
    private long duplicateGain(ChunkBook book, ChunkBook.InFlight f, long mine, long late, long now) {
        long age = now - f.firstLeasedAt;
        long holders = Long.MAX_VALUE;
        boolean estimated = mine >= 0;
        for (int i = 0; i < f.size() && estimated; i++) {
            long theirs = expectedWrite(book, f.lease(i), now);
            estimated = theirs >= 0;
            holders = Math.min(holders, theirs);
        }
        if (!estimated) {
            return age >= late ? age : -1;
        }
        boolean helps = age >= policy.endgameMinAge().toNanos() && mine + (mine - now) / 4 < holders
                && book.duplicateWaste + expectedLoss(book, f, mine, now) <= book.duplicateBudget();
        return !helps ? -1 : holders == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : holders - mine;
    }

    /**
     * Origin bytes a duplicate of {@code f} is expected to waste: what the holders will have
     * fetched when the duplicate, expected to be written at {@code mine}, wins the race (their
     * transfers' rates extrapolated); what they fetched so far when that is unknown.
     */
    private long expectedLoss(ChunkBook book, ChunkBook.InFlight f, long mine, long now) {
        long length = book.plan.length(f.chunk);
        long lost = 0;
        for (int i = 0; i < f.size(); i++) {
            int slot = f.lease(i);
            long received = slots.received(slot);
            long issued = slots.issuedAt(slot);
            boolean extrapolate = received > 0 && mine > now && now > issued;
            lost += Math.min(length, extrapolate ? (long) ((double) received * (mine - issued) / (now - issued))
                    : received);
        }
        return lost;
    }

    /**
     * When the lease in {@code slot} should have its chunk written: extrapolated from its
     * transfer's bytes so far; before any byte from its worker's bandwidth (never, once that
     * estimate is overdue); -1 when neither is known.
     */
    private long expectedWrite(ChunkBook book, int slot, long now) {
        long issued = slots.issuedAt(slot);
        long received = slots.received(slot);
        if (received > 0) {
            long length = book.plan.length(slots.chunk(slot));
            return now + (long) ((double) (length - received) * (now - issued) / received);
        }
        String worker = slots.workerId(slot);
        long paced = book.paces.expectedWrite(worker, issued, slots.liveOfWorker(worker));
        return paced < 0 ? -1 : paced < now ? Long.MAX_VALUE : paced;
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

    private boolean holdsWorker(ChunkBook.InFlight f, String workerId) {
        for (int i = 0; i < f.size(); i++) {
            if (slots.workerId(f.lease(i)).equals(workerId)) {
                return true;
            }
        }
        return false;
    }

    private Lease newLease(ChunkBook book, ChunkBook.InFlight f, String workerId, boolean duplicate, long now) {
        int slot = slots.add(book, f.chunk, workerId, duplicate, now, now + policy.ttl().toNanos());
        slots.addLive(slot);
        f.add(slot);
        book.paces.leased(workerId, slots.liveOfWorker(workerId), now);
        return snapshot(slot);
    }

    private Lease snapshot(int slot) {
        ChunkBook book = slots.book(slot);
        int chunk = slots.chunk(slot);
        return new Lease(slots.id(slot), book.downloadId, chunk, book.plan.offset(chunk), book.plan.length(chunk),
                slots.workerId(slot), slots.expiresAt(slot), slots.duplicate(slot), slots.issuedAt(slot));
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
        return slots.liveOfWorker(workerId);
    }

    /** Live leases (connections) on {@code origin} ({@code scheme://host:port}) over all its downloads. */
    public synchronized int liveLeasesOnOrigin(String origin) {
        return slots.liveOnOrigin(origin);
    }

    private boolean atOriginCap(ChunkBook book) {
        int cap = policy.maxLeasesPerOrigin();
        return cap > 0 && book.origin != null && slots.liveOnOrigin(book.origin) >= cap;
    }

    /**
     * True when {@code workerId} holds as many live leases (of all downloads) as its pace on this
     * download makes worth it: on mixed links, a share of the fastest worker's ({@link WorkerPaces#leaseCap}).
     */
    private boolean atPaceCap(ChunkBook book, String workerId, long now) {
        return slots.liveOfWorker(workerId) >= book.paces.leaseCap(workerId, liveOf, now);
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
     * Starts a transfer for a lease: checks the header against the lease and the plan, then grants
     * <ul>
     * <li>a verify-only ticket when the chunk is already written;
     * <li>a standby ticket when another lease's transfer holds the chunk's region (an endgame
     * duplicate racing its holder): the holder keeps writing, the standby keeps its bytes aside and
     * only {@link #promote} lets it take the region over once it has them all, verified; it is
     * revoked as soon as the holder's copy is written;
     * <li>else the claim on the chunk's region (taking it from an earlier stream of the same lease,
     * a retry, or from a transfer whose claim was dropped).
     * </ul>
     * A lease that expired recently (still remembered) is accepted while its chunk is unwritten.
     */
    public synchronized Result<TransferTicket> beginTransfer(String leaseId, String downloadId, long chunkIndex,
            long offset, long length) {
        int slot = slots.find(leaseId);
        if (slot < 0) {
            return Result.rejected(TransferRejection.UNKNOWN_LEASE, "lease " + leaseId + " is unknown or expired");
        }
        ChunkBook book = slots.book(slot);
        int chunk = slots.chunk(slot);
        if (!book.downloadId.equals(downloadId) || chunkIndex != chunk || offset != book.plan.offset(chunk)
                || length != book.plan.length(chunk)) {
            return Result.rejected(TransferRejection.RANGE_MISMATCH, "header (download " + downloadId + ", chunk "
                    + chunkIndex + ", offset " + offset + ", length " + length + ") does not match lease of chunk "
                    + chunk + " at " + book.plan.offset(chunk) + "+" + book.plan.length(chunk));
        }
        long now = clock.getAsLong();
        byte state = book.state(chunk);
        if (state == ChunkBook.WRITTEN || state == ChunkBook.DONE) {
            return Result.ok(new TransferTicket(snapshot(slot), null, true, false));
        }
        ChunkBook.InFlight f = book.inFlight.get(chunk);
        if (f == null) {
            // The lease expired and the chunk was requeued; take it back rather than waste the bytes.
            book.set(chunk, ChunkBook.LEASED);
            f = new ChunkBook.InFlight(chunk, now);
            book.inFlight.put(chunk, f);
        }
        if (slots.finished(slot)) {
            slots.revive(slot);
            f.add(slot);
        }
        f.dropStandby(leaseId); // an earlier stream of this lease, now retried
        TransferClaim claim = new TransferClaim(leaseId);
        boolean standby = f.claim != null && !f.claim.leaseId().equals(leaseId);
        if (standby) {
            f.standbys.add(claim);
        } else {
            if (f.claim != null) {
                f.claim.invalidate();
            }
            f.claim = claim;
        }
        slots.expiresAt(slot, now + policy.ttl().toNanos());
        slots.received(slot, 0);
        return Result.ok(new TransferTicket(snapshot(slot), claim, false, standby));
    }

    /**
     * Lets a standby transfer that has every byte of its chunk, verified, take the chunk's region
     * over: the holder's claim is revoked (after a write in progress) and the standby's becomes the
     * owner, which may then copy its bytes into place and {@link #finishTransfer finish}.
     *
     * @return SUPERSEDED when the chunk was written meanwhile or this standby was revoked
     */
    public synchronized Result<Boolean> promote(TransferTicket ticket) {
        ChunkBook book = books.get(ticket.lease().downloadId());
        if (book == null) {
            return Result.rejected(TransferRejection.DOWNLOAD_NOT_ACTIVE, "download is no longer active");
        }
        ChunkBook.InFlight f = book.inFlight.get(ticket.lease().chunk());
        if (f == null || !ticket.claim().isValid() || !f.standbys.remove(ticket.claim())) {
            return Result.rejected(TransferRejection.SUPERSEDED, "chunk " + ticket.lease().chunk()
                    + " was written by another transfer");
        }
        if (f.claim != null) {
            f.claim.invalidate();
        }
        f.claim = ticket.claim();
        return Result.ok(true);
    }

    /** The lease with this id, if it is known (live or recently finished). */
    public synchronized Optional<Lease> find(String leaseId) {
        int slot = slots.find(leaseId);
        return slot < 0 ? Optional.empty() : Optional.of(snapshot(slot));
    }

    /**
     * Extends a lease because its transfer is making progress: {@code received} bytes of the chunk
     * so far (the endgame's estimate of when the transfer will end).
     */
    public synchronized void renew(String leaseId, long received) {
        int slot = slots.find(leaseId);
        if (slot >= 0 && !slots.finished(slot)) {
            long now = clock.getAsLong();
            slots.expiresAt(slot, now + policy.ttl().toNanos());
            long before = slots.received(slot);
            slots.received(slot, received);
            ChunkBook book = slots.book(slot);
            book.paces.delivered(slots.workerId(slot), received - before, now);
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
        try {
            return endTransfer(ticket, verified);
        } finally {
            signalWork();
        }
    }

    private Result<Boolean> endTransfer(TransferTicket ticket, boolean verified) {
        if (ticket.verifyOnly()) {
            return Result.ok(false);
        }
        int slot = slots.find(ticket.lease().leaseId());
        ChunkBook book = books.get(ticket.lease().downloadId());
        ChunkBook.InFlight f = book == null ? null : book.inFlight.get(ticket.lease().chunk());
        if (book == null || slot < 0) {
            return Result.rejected(TransferRejection.DOWNLOAD_NOT_ACTIVE, "download is no longer active");
        }
        if (f != null && !verified && f.standbys.remove(ticket.claim())) {
            ticket.claim().invalidate();
            requeueIfAbandoned(book, f, clock.getAsLong());
            return Result.ok(false);
        }
        if (f == null || f.claim != ticket.claim() || !ticket.claim().isValid()) {
            return Result.rejected(TransferRejection.SUPERSEDED, "another transfer of chunk " + ticket.lease().chunk()
                    + " took over");
        }
        f.claim = null;
        if (!verified) {
            requeueIfAbandoned(book, f, clock.getAsLong());
            return Result.ok(false);
        }
        f.dropStandbys(); // racing duplicates stop at their next frame
        book.inFlight.remove(f.chunk);
        book.markWritten(f.chunk);
        long now = clock.getAsLong();
        book.recordDuration(now - f.firstLeasedAt);
        for (int i = 0; i < f.size(); i++) {
            finish(f.lease(i), now);
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
        try {
            return giveBack(leaseId, countsAsFailure, retryAfterNanos);
        } finally {
            signalWork();
        }
    }

    private ReleaseOutcome giveBack(String leaseId, boolean countsAsFailure, long retryAfterNanos) {
        int slot = slots.find(leaseId);
        if (slot < 0) {
            return ReleaseOutcome.IGNORED;
        }
        boolean finished = slots.finished(slot);
        ChunkBook book = slots.book(slot);
        int chunk = slots.chunk(slot);
        slots.free(slot);
        ChunkBook.InFlight f = finished ? null : book.inFlight.get(chunk);
        if (f == null) {
            return ReleaseOutcome.IGNORED;
        }
        f.remove(slot);
        // The worker gave up on its own transfer; the release may overtake the stream's cancel.
        if (f.claim != null && f.claim.leaseId().equals(leaseId)) {
            f.claim.invalidate();
            f.claim = null;
        }
        f.dropStandby(leaseId);
        int failures = countsAsFailure ? book.recordFailure(chunk) : book.failures(chunk);
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
        slots.forgetDue(now);
        int expired = 0;
        for (int slot = slots.firstLive(), next; slot >= 0; slot = next) {
            next = slots.nextLive(slot);
            if (now - slots.expiresAt(slot) < 0) {
                continue;
            }
            expired++;
            finish(slot, now);
            ChunkBook book = slots.book(slot);
            ChunkBook.InFlight f = book.inFlight.get(slots.chunk(slot));
            if (f == null) {
                continue;
            }
            f.remove(slot);
            if (f.isEmpty()) {
                // No frame arrived for a whole TTL: the transfers are stalled, so their claims go too.
                f.dropAllClaims();
            }
            requeueIfAbandoned(book, f, now);
        }
        expirations += expired;
        return expired;
    }

    /** The lease no longer holds its chunk; it is remembered one more TTL for late transfers. */
    private void finish(int slot, long now) {
        slots.finish(slot, now + policy.ttl().toNanos());
    }

    /** Requeues an in-flight chunk that no lease and no transfer covers any more. */
    private static boolean requeueIfAbandoned(ChunkBook book, ChunkBook.InFlight f, long readyAt) {
        if (!f.isEmpty() || f.claim != null || !f.standbys.isEmpty()) {
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
        return book(downloadId).counts(slots);
    }

    public synchronized Optional<ChunkCounts> countsIfRegistered(String downloadId) {
        ChunkBook book = books.get(downloadId);
        return book == null ? Optional.empty() : Optional.of(book.counts(slots));
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
        return slots.size();
    }

    private ChunkBook book(String downloadId) {
        ChunkBook book = books.get(downloadId);
        if (book == null) {
            throw new IllegalArgumentException("download " + downloadId + " is not registered");
        }
        return book;
    }
}
