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
    /** Idle sleepers wait on this monitor; {@link #wakeIdle()} and stopping end their sleep early. */
    private final Object idle = new Object();

    void stopTakingWork() {
        soft.countDown();
        wakeIdle();
    }

    void giveBackNow() {
        soft.countDown();
        hard.countDown();
        wakeIdle();
    }

    /** Ends every idle sleep now: there may be work. */
    void wakeIdle() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    boolean stoppingSoft() {
        return soft.getCount() == 0;
    }

    boolean stoppingHard() {
        return hard.getCount() == 0;
    }

    /** Sleeps up to {@code d} between asks, less when woken; true when told to stop taking work. */
    boolean idleSleep(Duration d) throws InterruptedException {
        synchronized (idle) {
            if (!stoppingSoft()) {
                TimeUnit.NANOSECONDS.timedWait(idle, d.toNanos());
            }
        }
        return stoppingSoft();
    }

    /** Sleeps up to {@code d} before a retry; true when in-flight work must be given back. */
    boolean retrySleep(Duration d) throws InterruptedException {
        return hard.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }
}
