package io.p2pdl.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPacesTest {

    private static final long S = 1_000_000_000L;
    private static final long MB = 1_000_000L;
    private static final long CHUNK = 4 * MB;
    private final WorkerPaces paces = new WorkerPaces(CHUNK);
    private final Map<String, Integer> live = new HashMap<>();

    /** {@code worker} holds {@code leases} and delivers {@code mbPerSecond} from {@code at} to {@code at} + 1 s. */
    private void measured(String worker, int leases, long mbPerSecond, long at) {
        live.put(worker, leases);
        paces.leased(worker, leases, at);
        paces.delivered(worker, 100_000, at);
        paces.delivered(worker, mbPerSecond * MB, at + S);
    }

    private boolean held(String worker, int queued, long now) {
        return paces.othersFinishFirst(worker, queued, w -> live.getOrDefault(w, 0), now);
    }

    @Test
    void bandwidthIsMeasuredOverAWindowOfAtLeastOneSecond() {
        paces.leased("w", 1, 0);
        paces.delivered("w", 5 * MB, 0);
        assertEquals(0, paces.bytesPerSecond("w"), "bytes fetched before the window opened do not count");
        paces.delivered("w", MB, S / 2);
        assertEquals(0, paces.bytesPerSecond("w"));
        paces.delivered("w", MB, S);
        assertEquals(2e6, paces.bytesPerSecond("w"), 1);
        paces.delivered("w", 4 * MB, 2 * S);
        assertEquals(3e6, paces.bytesPerSecond("w"), 1, "moving average of 2 and 4 MB/s");
    }

    @Test
    void timeSpentIdleIsNotPartOfTheBandwidth() {
        measured("w", 1, 4, 0);
        paces.leased("w", 1, 60 * S); // idle for a minute, then a lease again
        paces.delivered("w", 4 * MB, 61 * S);
        paces.delivered("w", 4 * MB, 62 * S);
        assertEquals(4e6, paces.bytesPerSecond("w"), 1);
    }

    @Test
    void expectedWritesShareTheBandwidthOverTheLeasesInHand() {
        measured("w", 4, 2, 0);
        assertEquals(10 * S + 8 * S, paces.expectedWrite("w", 10 * S, 4), "4 chunks of 4 MB at 2 MB/s: 8 s each");
        assertEquals(S + 4 * S, paces.expectedNewWrite("w", 2, S), "half of two chunks and a new one: 8 MB at 2 MB/s");
        assertEquals(-1, paces.expectedWrite("unknown", 0, 1));
    }

    @Test
    void theFasterWorkersCapacityDecides() {
        measured("fast", 4, 10, 0);
        measured("slow", 1, 1, 0);
        // The slow worker's next chunk: (2 + 4) MB at 1 MB/s = 6 s. Meanwhile the fast one fetches
        // 60 MB, of which 8 MB finish what it holds: 13 chunks.
        assertTrue(held("slow", 13, S));
        assertFalse(held("slow", 14, S));
        assertFalse(held("fast", 1, S), "nobody is faster than the fastest");
        assertFalse(held("slow", 1, 3 * S + S / 2), "the fast worker went quiet for more than 2 s");
    }

    @Test
    void unknownBandwidthsHoldNobodyBack() {
        measured("fast", 4, 10, 0);
        paces.leased("slow", 1, 0);
        assertFalse(held("slow", 1, S));
        assertFalse(held("nobody", 1, S));
    }

    @Test
    void aWorkerLessThanOneAndAHalfTimesSlowerIsNeverHeldBack() {
        measured("a", 4, 6, 0);
        measured("b", 4, 5, 0);
        assertFalse(held("b", 1, S));
    }

    @Test
    void chunksOfMillisecondsHoldNobodyBack() {
        WorkerPaces small = new WorkerPaces(64 * 1024);
        for (String w : new String[] {"fast", "slow"}) {
            small.leased(w, 1, 0);
            small.delivered(w, 1, 0);
        }
        small.delivered("fast", 100 * MB, S);
        small.delivered("slow", MB, S);
        assertFalse(small.othersFinishFirst("slow", 1, w -> 1, S), "100 times slower, but 0.1 s per chunk");
    }
}
