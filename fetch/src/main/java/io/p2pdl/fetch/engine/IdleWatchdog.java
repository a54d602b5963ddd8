package io.p2pdl.fetch.engine;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Aborts streaming fetches during which nothing moved for the read-idle timeout. The JDK HTTP
 * client has no per-read timeout, and a dead origin connection would otherwise hold a slot
 * forever.
 */
final class IdleWatchdog implements AutoCloseable {

    private final long timeoutNanos;
    private final Set<ActiveFetch> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    IdleWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pdl-fetch-watchdog");
            t.setDaemon(true);
            return t;
        });
        // Checking four times per timeout bounds the overshoot to a quarter of it.
        long period = Math.max(10, timeout.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    void watch(ActiveFetch f) {
        watched.add(f);
    }

    void unwatch(ActiveFetch f) {
        watched.remove(f);
    }

    private void check() {
        long now = System.nanoTime();
        for (ActiveFetch f : watched) {
            if (f.streaming() && !f.aborted() && now - f.lastProgressNanos() > timeoutNanos) {
                f.abort(ActiveFetch.AbortReason.IDLE);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
