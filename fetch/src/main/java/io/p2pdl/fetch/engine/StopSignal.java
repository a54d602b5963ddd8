package io.p2pdl.fetch.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The two phases of stopping: soft (take no new work, let in-flight chunks finish) and hard
 * (drain time is up: give in-flight chunks back). Sleeps wait on these so they end at once, and
 * so do long polls for work: stopping interrupts the threads waiting in one.
 */
final class StopSignal {

    private final CountDownLatch soft = new CountDownLatch(1);
    private final CountDownLatch hard = new CountDownLatch(1);
    /** Idle sleepers wait on this monitor; {@link #wakeIdle()} and stopping end their sleep early. */
    private final Object idle = new Object();
    /** Threads inside {@link #askForWork}; guarded by itself. */
    private final Set<Thread> asking = new HashSet<>();

    void stopTakingWork() {
        soft.countDown();
        synchronized (asking) {
            asking.forEach(Thread::interrupt);
        }
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

    /**
     * Runs a request for work (a long poll) that stopping may cut short by interrupting this
     * thread; the interrupt never outlives the request, so it cannot reach the file I/O of a
     * fetch that follows (an interrupted {@code FileChannel} closes itself).
     */
    <T> T askForWork(Supplier<T> request) {
        Thread me = Thread.currentThread();
        synchronized (asking) {
            asking.add(me);
        }
        try {
            if (stoppingSoft()) {
                me.interrupt(); // stopped before this thread was registered: end the request at once
            }
            return request.get();
        } finally {
            synchronized (asking) {
                asking.remove(me);
            }
            if (stoppingSoft()) {
                Thread.interrupted(); // ours, whether it came before or after the request ended
            }
        }
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
