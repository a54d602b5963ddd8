package io.p2pdl.fetch.engine;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Picks the coordinator each {@code GetChunk} goes to: round-robin over the discovered list,
 * shared by all slots so every coordinator gets an equal share of asks, skipping coordinators
 * that said "no work, retry after N ms" or could not be reached until their time is up.
 *
 * <p>Time comes from an injected monotonic clock (nanoseconds) so tests control it.
 */
final class CoordinatorRotation {

    /** First backoff after a coordinator could not be reached; doubles per failure. */
    static final long UNREACHABLE_BASE_NANOS = 250_000_000L;
    /**
     * Longest backoff for an unreachable coordinator: short, because a coordinator that restarts
     * (a crash, a rollout) should get its workers back within seconds.
     */
    static final long UNREACHABLE_MAX_NANOS = 5_000_000_000L;

    private record State(long notBeforeNanos, int failures) {
    }

    private final LongSupplier nanoClock;
    private final AtomicLong cursor = new AtomicLong();
    private final Map<CoordinatorTarget, State> states = new ConcurrentHashMap<>();

    CoordinatorRotation(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * The next coordinator from {@code targets} that may be asked now, in rotation; empty when
     * all are backing off (or there are none).
     */
    Optional<CoordinatorTarget> next(List<CoordinatorTarget> targets) {
        int n = targets.size();
        if (n == 0) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        long start = cursor.getAndIncrement();
        for (int i = 0; i < n; i++) {
            CoordinatorTarget t = targets.get((int) Math.floorMod(start + i, (long) n));
            State s = states.get(t);
            if (s == null || s.notBeforeNanos() - now <= 0) {
                if (i > 0) {
                    // Keep the rotation fair: the next slot starts after the one we chose.
                    cursor.addAndGet(i);
                }
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Nanoseconds until the first of {@code targets} may be asked again (0 if one may now). */
    long nanosUntilNextReady(List<CoordinatorTarget> targets) {
        long now = nanoClock.getAsLong();
        long best = Long.MAX_VALUE;
        for (CoordinatorTarget t : targets) {
            State s = states.get(t);
            long wait = s == null ? 0 : Math.max(0, s.notBeforeNanos() - now);
            best = Math.min(best, wait);
        }
        return best == Long.MAX_VALUE ? 0 : best;
    }

    /** The coordinator has no work and asked to be left alone for {@code retryAfterMs}. */
    void noWork(CoordinatorTarget t, long retryAfterMs) {
        long wait = Math.max(0, retryAfterMs) * 1_000_000L;
        states.put(t, new State(nanoClock.getAsLong() + wait, 0));
    }

    /** Forgets every "no work" backoff (not the unreachable ones): work may have arrived. */
    void forgetNoWork() {
        states.values().removeIf(s -> s.failures() == 0);
    }

    /** The coordinator handed out a lease: ask it again at once. */
    void leased(CoordinatorTarget t) {
        states.remove(t);
    }

    /**
     * The coordinator could not be reached: back off exponentially, per coordinator. Failures
     * reported while it is already backing off come from other slots' asks of the same round and
     * do not count again (else N slots would multiply the wait by 2^N at once).
     */
    void unreachable(CoordinatorTarget t) {
        long now = nanoClock.getAsLong();
        states.compute(t, (k, s) -> {
            if (s != null && s.failures() > 0 && s.notBeforeNanos() - now > 0) {
                return s;
            }
            int failures = s == null ? 1 : s.failures() + 1;
            long wait = Math.min(UNREACHABLE_MAX_NANOS, UNREACHABLE_BASE_NANOS << Math.min(failures - 1, 20));
            return new State(now + wait, failures);
        });
    }

    /** Forgets coordinators that left discovery. */
    void retainOnly(List<CoordinatorTarget> targets) {
        states.keySet().retainAll(targets);
    }
}
