package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.ChunkLease;
import io.p2pdl.proto.v1.GetChunkResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkWaitersTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Leases handed out in order; refused workers are told to come back after {@code retryAfter}. */
    private static final class Queue implements WorkWaiters.Leaser {
        final ConcurrentLinkedQueue<ChunkLease> work = new ConcurrentLinkedQueue<>();
        final List<ChunkLease> givenBack = new CopyOnWriteArrayList<>();
        final CountDownLatch gaveBack = new CountDownLatch(1);
        volatile long retryAfter = 60 * SECOND;

        @Override
        public Optional<ChunkLease> lease(String workerId) {
            return Optional.ofNullable(work.poll());
        }

        @Override
        public long retryAfterNanos(String workerId) {
            return retryAfter;
        }

        @Override
        public void giveBack(ChunkLease lease) {
            givenBack.add(lease);
            gaveBack.countDown();
        }

        void add(String id) {
            work.add(ChunkLease.newBuilder().setLeaseId(id).build());
        }
    }

    private final Queue queue = new Queue();
    private final WorkWaiters waiters = new WorkWaiters(queue, System::nanoTime);

    @AfterEach
    void close() {
        waiters.close();
    }

    @Test
    void aLeaseThatExistsIsAnsweredAtOnce() {
        queue.add("l1");
        CompletableFuture<GetChunkResponse> answer = waiters.getChunk("w", 10 * SECOND);
        assertTrue(answer.isDone());
        assertEquals("l1", answer.join().getLease().getLeaseId());
    }

    @Test
    void withoutWaitNoWorkComesAtOnceWithTheUsualRetryAfter() {
        queue.retryAfter = TimeUnit.MILLISECONDS.toNanos(750);
        GetChunkResponse answer = waiters.getChunk("w", 0).join();
        assertEquals(750, answer.getNoWork().getRetryAfterMs());
        assertEquals(0, waiters.waiting());
    }

    @Test
    void aWaitingCallGetsWorkThatAppearsWhenWoken() throws Exception {
        // The waits (10 s, retry in 60 s) end long after the test would fail: only wake() answers it.
        CompletableFuture<GetChunkResponse> first = waiters.getChunk("w1", 10 * SECOND);
        CompletableFuture<GetChunkResponse> second = waiters.getChunk("w2", 10 * SECOND);
        assertFalse(first.isDone());
        assertEquals(2, waiters.waiting());
        queue.add("submitted");
        waiters.wake();
        assertEquals("submitted", first.get(5, TimeUnit.SECONDS).getLease().getLeaseId(),
                "the earliest waiting call is served first");
        assertFalse(second.isDone(), "one lease, one answer");
        assertEquals(1, waiters.waiting());
    }

    @Test
    void aWaitThatRunsOutIsNoWorkWithAskAgainAtOnce() throws Exception {
        GetChunkResponse answer = waiters.getChunk("w", TimeUnit.MILLISECONDS.toNanos(50)).get(5, TimeUnit.SECONDS);
        assertTrue(answer.hasNoWork());
        assertEquals(0, answer.getNoWork().getRetryAfterMs());
        assertEquals(0, waiters.waiting());
    }

    @Test
    void workAppearingWithoutWakeIsFoundWhenTheRetryAfterHasPassed() throws Exception {
        queue.retryAfter = TimeUnit.MILLISECONDS.toNanos(20); // e.g. a chunk's failure backoff ending
        CompletableFuture<GetChunkResponse> answer = waiters.getChunk("w", 10 * SECOND);
        queue.add("after-backoff");
        assertEquals("after-backoff", answer.get(5, TimeUnit.SECONDS).getLease().getLeaseId());
    }

    @Test
    void aLeaseForACallThatWentAwayIsGivenBack() throws Exception {
        CompletableFuture<GetChunkResponse> answer = waiters.getChunk("w", 10 * SECOND);
        answer.cancel(false);
        queue.add("orphan");
        waiters.wake();
        // Either the pass drops the cancelled call before leasing (lease stays queued) or leases
        // and gives it back: never lost.
        assertTrue(queue.gaveBack.await(1, TimeUnit.SECONDS) || queue.work.size() == 1,
                "the lease is given back or was never taken");
    }

    @Test
    void closingAnswersEveryWaitingCall() throws Exception {
        CompletableFuture<GetChunkResponse> answer = waiters.getChunk("w", 10 * SECOND);
        waiters.close();
        assertTrue(answer.get(5, TimeUnit.SECONDS).hasNoWork());
        assertTrue(waiters.getChunk("late", 10 * SECOND).get(5, TimeUnit.SECONDS).hasNoWork());
    }
}
