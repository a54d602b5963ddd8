package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private static boolean sleep(StopSignal stop) {
        try {
            return stop.idleSleep(LONG);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
