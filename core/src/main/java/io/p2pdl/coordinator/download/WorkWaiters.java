package io.p2pdl.coordinator.download;

import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.GetChunkResponse;
import io.p2pdl.proto.v1.NoWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * GetChunk calls held open while there is no chunk for their worker (long poll): an idle worker
 * starts on a new download the moment it is submitted instead of at its next poll, and is not
 * asking once a second meanwhile. Waiting calls are tried again when the coordinator says work may
 * have appeared ({@link #wake}: a download submitted or resumed, a chunk given back or finished),
 * when the wait their worker would have been told ({@code retryAfterNanos}: a backoff ending) has
 * passed, and answered NoWork when their own wait is up. No thread waits: one timer thread tries
 * the waiting calls in arrival order.
 */
final class WorkWaiters implements AutoCloseable {

    /** The coordinator's side: a lease now, and how long a refused worker should wait. */
    interface Leaser {
        Optional<ChunkLease> lease(String workerId);

        /** At least a few milliseconds, so a refused call is not tried again in a loop. */
        long retryAfterNanos(String workerId);

        /** Gives back a lease whose call went away before it could be answered. */
        void giveBack(ChunkLease lease);
    }

    /** Longest wait a call may ask for. */
    static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Waiter(String workerId, long deadline, CompletableFuture<GetChunkResponse> answer) {
    }

    private final Leaser leaser;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final List<Waiter> waiting = new ArrayList<>();
    private ScheduledFuture<?> next;
    private long nextAt = Long.MAX_VALUE;
    private boolean closed;

    WorkWaiters(Leaser leaser, LongSupplier clock) {
        this.leaser = leaser;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pdl-work-waiters");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The answer for {@code workerId}: a lease at once when there is one, else after waiting up to
     * {@code waitNanos} (0: NoWork at once with the usual retry-after).
     */
    CompletableFuture<GetChunkResponse> getChunk(String workerId, long waitNanos) {
        Optional<ChunkLease> lease = leaser.lease(workerId);
        if (lease.isPresent()) {
            return CompletableFuture.completedFuture(leased(lease.get()));
        }
        long wait = Math.min(waitNanos, MAX_WAIT_NANOS);
        if (wait <= 0) {
            return CompletableFuture.completedFuture(noWork(leaser.retryAfterNanos(workerId)));
        }
        // Asked before taking this lock: the leaser's lock is never taken while holding it.
        long retryAfter = leaser.retryAfterNanos(workerId);
        long now = clock.getAsLong();
        Waiter w = new Waiter(workerId, now + wait, new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(noWork(retryAfter));
            }
            waiting.add(w);
            checkBy(Math.min(w.deadline, now + retryAfter));
        }
        return w.answer;
    }

    /** Work may have appeared: try the waiting calls now. Cheap; call from any thread. */
    void wake() {
        synchronized (this) {
            if (!waiting.isEmpty()) {
                checkBy(clock.getAsLong());
            }
        }
    }

    /** Calls waiting now (for tests and metrics). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Answers every waiting call with NoWork and stops the timer. */
    @Override
    public void close() {
        List<Waiter> left;
        synchronized (this) {
            closed = true;
            left = List.copyOf(waiting);
            waiting.clear();
        }
        for (Waiter w : left) {
            w.answer.complete(noWork(0));
        }
        timer.shutdownNow();
    }

    /** Makes sure the waiting calls are tried no later than {@code at} (clock nanos). */
    private void checkBy(long at) {
        if (closed || at >= nextAt) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        nextAt = at;
        next = timer.schedule(this::tryWaiting, Math.max(0, at - clock.getAsLong()), TimeUnit.NANOSECONDS);
    }

    /** On the timer thread: leases for whom there is one, NoWork for whom the wait is up. */
    private void tryWaiting() {
        List<Waiter> snapshot;
        synchronized (this) {
            nextAt = Long.MAX_VALUE;
            next = null;
            snapshot = List.copyOf(waiting);
        }
        long nextCheck = Long.MAX_VALUE;
        List<Waiter> done = new ArrayList<>();
        List<GetChunkResponse> answers = new ArrayList<>();
        for (Waiter w : snapshot) {
            if (w.answer.isDone()) {
                done.add(w); // the call was cancelled
                answers.add(null);
                continue;
            }
            Optional<ChunkLease> lease;
            try {
                lease = leaser.lease(w.workerId);
            } catch (RuntimeException e) {
                w.answer.completeExceptionally(e);
                done.add(w);
                answers.add(null);
                continue;
            }
            long now = clock.getAsLong();
            if (lease.isPresent()) {
                done.add(w);
                answers.add(leased(lease.get()));
            } else if (now >= w.deadline) {
                done.add(w);
                answers.add(noWork(0));
            } else {
                nextCheck = Math.min(nextCheck, Math.min(w.deadline, now + leaser.retryAfterNanos(w.workerId)));
            }
        }
        synchronized (this) {
            waiting.removeAll(done);
            if (!waiting.isEmpty()) {
                // Calls that arrived during this pass set their own check time already.
                checkBy(nextCheck == Long.MAX_VALUE ? clock.getAsLong() : nextCheck);
            }
        }
        // Answered once no longer counted as waiting; outside the lock, as gRPC sends from here.
        for (int i = 0; i < done.size(); i++) {
            GetChunkResponse answer = answers.get(i);
            if (answer != null && !done.get(i).answer.complete(answer) && answer.hasLease()) {
                leaser.giveBack(answer.getLease()); // the call was cancelled meanwhile
            }
        }
    }

    static GetChunkResponse leased(ChunkLease lease) {
        return GetChunkResponse.newBuilder().setLease(lease).build();
    }

    static GetChunkResponse noWork(long retryAfterNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(Math.max(0, retryAfterNanos));
        return GetChunkResponse.newBuilder().setNoWork(NoWork.newBuilder().setRetryAfterMs(ms)).build();
    }
}
