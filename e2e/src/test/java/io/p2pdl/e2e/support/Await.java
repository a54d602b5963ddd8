package io.p2pdl.e2e.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until a condition holds. Deadlines are generous and exist only so a broken build ends
 * instead of hanging; no test asserts how fast anything is.
 */
public final class Await {

    /** Long enough for a 64 MiB download on a loaded two-core machine. */
    public static final Duration LONG = Duration.ofSeconds(90);
    private static final long POLL_MS = 100;

    private Await() {
    }

    /**
     * Calls {@code probe} until its value satisfies {@code done} and returns that value. A probe
     * that throws (a coordinator restarting, say) counts as "not yet"; the last value or error is
     * quoted when {@code timeout} passes.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "nothing yet";
        while (true) {
            try {
                T value = probe.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last seen: " + last);
            }
            sleep(POLL_MS);
        }
    }

    /** {@link #until} for a condition without a value. */
    public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, condition, Boolean::booleanValue);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
