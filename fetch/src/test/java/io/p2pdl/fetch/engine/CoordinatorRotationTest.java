package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.p2pdl.fetch.discovery.CoordinatorTarget;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoordinatorRotationTest {

    private static final CoordinatorTarget A = new CoordinatorTarget("a", 1);
    private static final CoordinatorTarget B = new CoordinatorTarget("b", 1);
    private static final CoordinatorTarget C = new CoordinatorTarget("c", 1);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CoordinatorRotation rotation = new CoordinatorRotation(now::get);

    @Test
    void readyCoordinatorsAreAskedInTurn() {
        List<CoordinatorTarget> all = List.of(A, B, C);
        assertEquals(List.of(A, B, C, A), List.of(next(all), next(all), next(all), next(all)));
    }

    @Test
    void noWorkSkipsTheCoordinatorUntilItsRetryAfter() {
        List<CoordinatorTarget> all = List.of(A, B);
        rotation.noWork(A, 500);
        assertEquals(B, next(all));
        assertEquals(B, next(all));
        assertEquals(500_000_000L, rotation.nanosUntilNextReady(List.of(A)));
        now.addAndGet(500_000_000L);
        assertEquals(List.of(A, B), List.of(next(all), next(all)).stream().sorted((x, y) -> x.host().compareTo(y.host())).toList());
    }

    @Test
    void forgettingNoWorkKeepsTheUnreachableBackoff() {
        List<CoordinatorTarget> all = List.of(A, B);
        rotation.noWork(A, 60_000);
        rotation.unreachable(B);
        assertEquals(Optional.empty(), rotation.next(all));
        rotation.forgetNoWork();
        assertEquals(A, next(all));
        assertEquals(A, next(all));
    }

    @Test
    void allIdleMeansEmptyAndTheWaitIsTheEarliestRetry() {
        List<CoordinatorTarget> all = List.of(A, B);
        rotation.noWork(A, 300);
        rotation.noWork(B, 100);
        assertEquals(Optional.empty(), rotation.next(all));
        assertEquals(100_000_000L, rotation.nanosUntilNextReady(all));
    }

    @Test
    void unreachableBackoffDoublesPerRoundAndResetsOnLease() {
        rotation.unreachable(A);
        assertEquals(CoordinatorRotation.UNREACHABLE_BASE_NANOS, rotation.nanosUntilNextReady(List.of(A)));
        now.addAndGet(CoordinatorRotation.UNREACHABLE_BASE_NANOS);
        rotation.unreachable(A);
        assertEquals(2 * CoordinatorRotation.UNREACHABLE_BASE_NANOS, rotation.nanosUntilNextReady(List.of(A)));
        for (int i = 0; i < 30; i++) {
            now.addAndGet(rotation.nanosUntilNextReady(List.of(A)));
            rotation.unreachable(A);
        }
        assertEquals(CoordinatorRotation.UNREACHABLE_MAX_NANOS, rotation.nanosUntilNextReady(List.of(A)));
        rotation.leased(A);
        assertEquals(0, rotation.nanosUntilNextReady(List.of(A)));
    }

    @Test
    void simultaneousFailuresOfAllSlotsCountAsOneRound() {
        for (int slot = 0; slot < 4; slot++) {
            rotation.unreachable(A);
        }
        assertEquals(CoordinatorRotation.UNREACHABLE_BASE_NANOS, rotation.nanosUntilNextReady(List.of(A)),
                "four slots failing at once must not multiply the wait by 16");
    }

    @Test
    void noCoordinatorsMeansEmpty() {
        assertEquals(Optional.empty(), rotation.next(List.of()));
    }

    private CoordinatorTarget next(List<CoordinatorTarget> all) {
        return rotation.next(all).orElseThrow();
    }
}
