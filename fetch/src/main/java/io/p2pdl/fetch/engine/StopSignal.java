package io.p2pdl.fetch.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The two phases of stopping: soft (take no new work, let in-flight chunks finish) and hard
 * (drain time is up: give in-flight chunks back). Sleeps wait on these so they end at once.
 */
final class StopSignal {

    private final CountDownLatch soft = new CountDownLatch(1);
    private final CountDownLatch hard = new CountDownLatch(1);

    void stopTakingWork() {
        soft.countDown();
    }

    void giveBackNow() {
        soft.countDown();
        hard.countDown();
    }

    boolean stoppingSoft() {
        return soft.getCount() == 0;
    }

    boolean stoppingHard() {
        return hard.getCount() == 0;
    }

    /** Sleeps up to {@code d} between asks; true when told to stop taking work. */
    boolean idleSleep(Duration d) throws InterruptedException {
        return soft.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sleeps up to {@code d} before a retry; true when in-flight work must be given back. */
    boolean retrySleep(Duration d) throws InterruptedException {
        return hard.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }
}
