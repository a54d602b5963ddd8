package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StopSignalTest {

    private static final Duration LONG = Duration.ofMinutes(10);

    @Test
    void wakingEndsAnIdleSleepWithoutStopping() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<Boolean> slept = CompletableFuture.supplyAsync(() -> sleep(stop));
        while (!slept.isDone()) {
            stop.wakeIdle(); // the sleeper may not be waiting yet: keep knocking
            Thread.sleep(5);
        }
        assertFalse(slept.get(30, TimeUnit.SECONDS), "woken, not stopping");
        assertFalse(stop.stoppingSoft());
    }

    @Test
    void stoppingEndsAnIdleSleepAndLaterOnesAtOnce() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<Boolean> slept = CompletableFuture.supplyAsync(() -> sleep(stop));
        Thread.sleep(20);
        stop.stopTakingWork();
        assertTrue(slept.get(30, TimeUnit.SECONDS));
        assertTrue(stop.idleSleep(LONG), "already stopping: no wait");
    }

    @Test
    void stoppingCutsALongPollAndItsInterruptEndsWithIt() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<String> poll = pollWhileStopping(stop, StopSignalTest::blockUntilInterrupted);

        assertEquals("interrupted", poll.get(30, TimeUnit.SECONDS),
                "the poll ends at once, and the next file write of this thread would not see the interrupt");
    }

    @Test
    void anInterruptThatCameAsThePollWasAnsweredIsClearedToo() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<String> poll = pollWhileStopping(stop, () -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // a lease answered just as the stop came: the interrupt is left pending
            }
            return "lease";
        });

        assertEquals("lease", poll.get(30, TimeUnit.SECONDS));
    }

    /**
     * Runs {@code request} as a poll on another thread and stops {@code stop} once it runs; the
     * answer is the request's, with ", still interrupted" when the thread kept an interrupt after it.
     */
    private static CompletableFuture<String> pollWhileStopping(StopSignal stop, Supplier<String> request)
            throws InterruptedException {
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<String> poll = CompletableFuture.supplyAsync(() -> {
            String how = stop.askForWork(() -> {
                polling.countDown();
                return request.get();
            });
            return how + (Thread.currentThread().isInterrupted() ? ", still interrupted" : "");
        });
        polling.await();
        stop.stopTakingWork();
        return poll;
    }

    @Test
    void aPollStartedAfterStoppingEndsAtOnce() throws Exception {
        StopSignal stop = new StopSignal();
        stop.stopTakingWork();

        assertEquals("interrupted", stop.askForWork(StopSignalTest::blockUntilInterrupted));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aPollAnsweredBeforeAnyStopIsNotInterrupted() {
        StopSignal stop = new StopSignal();

        assertEquals("lease", stop.askForWork(() -> "lease"));
        stop.stopTakingWork(); // after the poll: must not reach this thread
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private static String blockUntilInterrupted() {
        try {
            new CountDownLatch(1).await(10, TimeUnit.MINUTES);
            return "not interrupted";
        } catch (InterruptedException e) {
            return "interrupted";
        }
    }

    private static boolean sleep(StopSignal stop) {
        try {
            return stop.idleSleep(LONG);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
