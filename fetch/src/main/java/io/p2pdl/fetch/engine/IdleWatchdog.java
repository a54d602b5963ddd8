package io.p2pdl.fetch.engine;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Aborts streaming fetches during which nothing moved for the read-idle timeout, and (like
 * aria2's {@code --lowest-speed-limit}) fetches that moved fewer than the lowest speed over its
 * window. The JDK HTTP client has no per-read timeout, and a dead origin connection would
 * otherwise hold a slot forever; a crawling one would hold it almost as long, renewing its lease
 * with every trickle.
 */
final class IdleWatchdog implements AutoCloseable {

    private final long timeoutNanos;
    private final long lowestSpeed;
    private final long windowNanos;
    private final Set<ActiveFetch> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    IdleWatchdog(FetchEngineOptions o) {
        this(o.requestTimeout(), o.lowestSpeed(), o.lowestSpeedWindow());
    }

    /** {@code lowestSpeed} bytes/s over {@code window}; 0 switches that check off. */
    IdleWatchdog(Duration timeout, long lowestSpeed, Duration window) {
        this.timeoutNanos = timeout.toNanos();
        this.lowestSpeed = lowestSpeed;
        this.windowNanos = window.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2pdl-fetch-watchdog");
            t.setDaemon(true);
            return t;
        });
        // Checking four times per timeout (and window) bounds the overshoot to a quarter of it.
        long shortest = lowestSpeed > 0 ? Math.min(timeout.toMillis(), window.toMillis()) : timeout.toMillis();
        long period = Math.max(10, shortest / 4);
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
            if (!f.streaming() || f.aborted()) {
                continue;
            }
            if (now - f.lastProgressNanos() > timeoutNanos) {
                f.abort(ActiveFetch.AbortReason.IDLE);
            } else if (lowestSpeed > 0 && f.slowerThan(lowestSpeed, windowNanos, now)) {
                f.abort(ActiveFetch.AbortReason.SLOW);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
