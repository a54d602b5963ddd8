package io.p2pdl.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerPacesTest {

    private static final long S = 1_000_000_000L;
    private final WorkerPaces paces = new WorkerPaces();

    @Test
    void aWorkersPaceIsUnknownUntilItDeliversOrWrites() {
        paces.leased("w", 1, 0);
        assertEquals(-1, paces.expectedWrite("w", 0));
        paces.progressed("w", 1000, 4_000_000, S, S); // too little to tell
        assertEquals(-1, paces.expectedWrite("w", 0));
        paces.progressed("w", 1_000_000, 4_000_000, 2 * S, 2 * S);
        assertEquals(8 * S, paces.expectedWrite("w", 0), "a quarter in 2 s: 8 s per chunk");
        paces.wrote("w", 6 * S, 6 * S);
        assertEquals(6 * S, paces.expectedWrite("w", 0), "a written chunk replaces the extrapolation");
        paces.progressed("w", 1_000_000, 4_000_000, 20 * S, 20 * S);
        assertEquals(6 * S, paces.expectedWrite("w", 0), "after a write, only writes move the pace");
        paces.wrote("w", 10 * S, 20 * S);
        assertEquals(7 * S, paces.expectedWrite("w", 0), "moving average: (3 × 6 + 10) / 4");
    }

    @Test
    void chunksOfMillisecondsHoldNobodyBack() {
        paces.leased("fast", 4, 0);
        paces.wrote("fast", S / 1000, S / 1000);
        paces.leased("slow", 1, 0);
        paces.wrote("slow", S / 10, S / 10);
        assertFalse(paces.othersFinishFirst("slow", 1, S / 10), "100 times slower, but only 0.1 s later");
    }

    @Test
    void unknownPacesHoldNobodyBack() {
        paces.leased("slow", 1, 0);
        paces.leased("fast", 4, 0);
        paces.wrote("fast", S, S);
        assertFalse(paces.othersFinishFirst("slow", 1, S), "the slow worker's own pace is unknown");
        assertFalse(paces.othersFinishFirst("nobody", 1, S));
    }

    @Test
    void theFasterWorkersCapacityDecides() {
        paces.leased("fast", 4, 0);
        paces.wrote("fast", S, S);
        paces.leased("slow", 2, 0);
        paces.wrote("slow", 5 * S, 5 * S);
        paces.leased("fast", 4, 5 * S);
        // In 5 s the fast worker's 4 slots write 4 × (5 − 1) / 1 = 16 chunks beyond those in hand.
        assertTrue(paces.othersFinishFirst("slow", 16, 5 * S));
        assertFalse(paces.othersFinishFirst("slow", 17, 5 * S));
        assertFalse(paces.othersFinishFirst("fast", 1, 5 * S), "nobody is faster than the fastest");
        assertFalse(paces.othersFinishFirst("slow", 1, 8 * S + 1), "the fast worker went quiet for > 2 × 1 s + 1 s");
    }

    @Test
    void aWorkerLessThanOneAndAHalfTimesSlowerIsNeverHeldBack() {
        paces.leased("a", 8, 0);
        paces.wrote("a", 10 * S, 10 * S);
        paces.leased("b", 8, 0);
        paces.wrote("b", 14 * S, 14 * S);
        assertFalse(paces.othersFinishFirst("b", 1, 14 * S));
    }
}
