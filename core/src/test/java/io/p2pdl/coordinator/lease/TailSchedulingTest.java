package io.p2pdl.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Who gets the last chunks of a download when workers fetch at different speeds (WorkerPaces). */
class TailSchedulingTest {

    private static final long MIB = 1024 * 1024;

    private long now = 1_000_000_000L;
    private final LeaseTable table = new LeaseTable(LeasePolicy.defaults(), () -> now);
    /** Bytes each worker's leases received so far ({@link #deliver}). */
    private final Map<String, Long> delivered = new HashMap<>();

    private void advance(Duration d) {
        now += d.toNanos();
    }

    /** Transfers a lease's chunk whole in one frame, now. */
    private void write(Lease l) {
        TransferTicket t = table.beginTransfer(l.leaseId(), l.downloadId(), l.chunk(), l.offset(), l.length()).value();
        table.renew(l.leaseId(), l.length());
        assertTrue(table.finishTransfer(t, true).value());
    }

    private List<Lease> take(String worker, int n) {
        List<Lease> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(table.acquire(worker).orElseThrow());
        }
        return got;
    }

    /**
     * A fast worker (4 slots, 4 MiB/s) and a slow one (1 slot, 0.1 MiB/s, delivering every second):
     * after 10 s the slow one wrote chunk 0 while the fast one wrote 40.
     */
    private void tenSecondsOfFastAndSlow() {
        Lease slow = take("slow", 1).get(0);
        TransferTicket slowTransfer = table.beginTransfer(slow.leaseId(), "d", slow.chunk(), slow.offset(),
                slow.length()).value();
        for (int s = 0; s < 10; s++) {
            List<Lease> fast = take("fast", 4);
            advance(Duration.ofSeconds(1));
            fast.forEach(this::write);
            table.renew(slow.leaseId(), (s + 1) * MIB / 10);
        }
        assertTrue(table.finishTransfer(slowTransfer, true).value());
    }

    /**
     * Every second for {@code seconds}, each lease of {@code perLease[w]} (by worker) gets the bytes
     * {@code perSecond.apply(w, s)} further; the first delivery opens each worker's measuring window.
     */
    private void deliver(Map<String, List<Lease>> perLease, int seconds, BiFunction<String, Integer, Long> perSecond) {
        for (int s = 1; s <= seconds; s++) {
            advance(Duration.ofSeconds(1));
            for (Map.Entry<String, List<Lease>> e : perLease.entrySet()) {
                long received = delivered.merge(e.getKey(), perSecond.apply(e.getKey(), s), Long::sum);
                e.getValue().forEach(l -> table.renew(l.leaseId(), received));
            }
        }
    }

    @Test
    void onMixedLinksASlowWorkerHoldsAShareOfTheFastestWorkersLeasesByBandwidth() {
        table.register("d", new ChunkPlan(400 * MIB, 4 * MIB), new BitSet());
        List<Lease> fast = take("fast", 2);
        List<Lease> half = take("half", 2);
        List<Lease> slow = take("slow", 2);
        // Per lease: fast 2 MiB/s, half 1 MiB/s, slow 0.25 MiB/s.
        Map<String, Long> rate = Map.of("fast", 2 * MIB, "half", MIB, "slow", MIB / 4);
        Map<String, List<Lease>> all = Map.of("fast", fast, "half", half, "slow", slow);
        deliver(all, 2, (w, s) -> rate.get(w));
        Lease third = table.acquire("slow").orElseThrow(() -> new AssertionError("one window is its start: no cap yet"));
        table.release(third.leaseId(), false, 0);

        deliver(all, 1, (w, s) -> rate.get(w));
        fast.addAll(take("fast", 2));
        assertEquals(4, table.liveLeases("fast"));

        assertTrue(table.acquire("half").isEmpty(), "half the bandwidth: half the fastest's 4 leases, it has 2");
        assertTrue(table.acquire("slow").isEmpty(), "an eighth: one lease at a time, it has 2");
        write(slow.get(0));
        assertTrue(table.acquire("slow").isEmpty(), "still one in hand");
        write(slow.get(1));
        assertTrue(table.acquire("slow").isPresent(), "one at a time");
        assertTrue(table.acquire("slow").isEmpty());
        assertTrue(table.acquire("fast").isPresent(), "the fastest has no cap of its own");
    }

    @Test
    void onEqualLinksAWorkerStarvedOfCpuForAFewSecondsIsNotCapped() {
        // 0.25 MiB/s per lease for both; b's process gets a fifth of that in its second and third windows.
        assertEqualLinksStayUncapped((w, s) -> w.equals("b") && s >= 3 ? MIB / 20 : MIB / 4,
                "its link is as fast as a's: no cap");
    }

    @Test
    void aBurstOfBytesHeldUpByAStarvedProcessDoesNotCapWorkersOfEqualLinks() {
        // 0.25 MiB/s per lease for both, except that a's second window brings 4 times that at once.
        assertEqualLinksStayUncapped((w, s) -> w.equals("a") && s == 3 ? MIB : MIB / 4,
                "a's link is no faster than b's: no cap");
    }

    /** Workers a and b, 2 leases each, fetch for 4 s as {@code perSecond} says; then b may take 4 like a. */
    private void assertEqualLinksStayUncapped(BiFunction<String, Integer, Long> perSecond, String why) {
        table.register("d", new ChunkPlan(400 * MIB, 4 * MIB), new BitSet());
        List<Lease> a = take("a", 2);
        List<Lease> b = take("b", 2);
        deliver(Map.of("a", a, "b", b), 4, perSecond);
        a.addAll(take("a", 2));

        assertTrue(table.acquire("b").isPresent(), why);
        assertTrue(table.acquire("b").isPresent(), why);
        assertEquals(4, table.liveLeases("b"));
    }

    @Test
    void aLinkThatStaysSlowIsCappedWithinAFewWindows() {
        table.register("d", new ChunkPlan(4000 * MIB, 4 * MIB), new BitSet());
        List<Lease> a = take("a", 4);
        List<Lease> b = take("b", 4);
        // Equal for the first window, then b's link carries a quarter of a's.
        deliver(Map.of("a", a, "b", b), 2, (w, s) -> MIB / 4);
        int seconds = 2;
        while (table.acquire("b").isPresent()) {
            deliver(Map.of("a", a, "b", b), 1, (w, s) -> w.equals("a") ? MIB / 4 : MIB / 16);
            seconds++;
            assertTrue(seconds < 20, "b still takes leases after " + seconds + " s at a quarter of a's rate");
        }
        assertTrue(seconds > 5, "capped at its first slow windows: " + seconds + " s");
    }

    @Test
    void aSlowWorkerIsNotGivenAChunkTheFasterOnesWouldFinishSooner() {
        table.register("d", new ChunkPlan(60 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow();
        assertEquals(19, table.counts("d").queued());
        // The slow worker would need 10 s for a chunk; the fast one fetches ~40 meanwhile.
        assertTrue(table.acquire("slow").isEmpty(), "slow would write its chunk last");
        assertTrue(table.acquire("fast").isPresent());
    }

    @Test
    void farFromTheEndASlowWorkerStillGetsChunks() {
        table.register("d", new ChunkPlan(100 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow();
        assertTrue(table.acquire("slow").isPresent());
    }

    @Test
    void aSlowWorkerIsServedWhenTheFasterOnesAreGone() {
        table.register("d", new ChunkPlan(60 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow();
        advance(Duration.ofMillis(2001)); // the fast worker has not been heard of for over 2 s
        assertTrue(table.acquire("slow").isPresent());
    }

    @Test
    void workersOfSimilarSpeedAreServedToTheLastChunk() {
        table.register("d", new ChunkPlan(40 * MIB, MIB), new BitSet());
        int leased = 0;
        for (int round = 0; round < 5; round++) {
            List<Lease> a = take("a", 4);
            List<Lease> b = take("b", 4);
            leased += 8;
            advance(Duration.ofMillis(1000));
            a.forEach(this::write);
            advance(Duration.ofMillis(200)); // b is 20 % slower: not slow enough to be held back
            b.forEach(this::write);
            advance(Duration.ofMillis(1)); // both idle a moment: each lease opens a new window
        }
        assertEquals(40, leased);
        assertTrue(table.countsIfRegistered("d").orElseThrow().queued() == 0);
    }

    /**
     * Three 4 MiB chunks (budget of duplicate losses 1 % of 12 MiB): the fast worker fetches at
     * 4 MiB/s; the slow one holds chunk 1 for 10 s, having delivered {@code received}.
     */
    private Optional<Lease> duplicateAfterSlowHolderDelivered(long received) {
        table.register("d", new ChunkPlan(12 * MIB, 4 * MIB), new BitSet());
        Lease first = take("fast", 1).get(0);
        Lease held = take("slow", 1).get(0);
        table.beginTransfer(held.leaseId(), "d", held.chunk(), held.offset(), held.length());
        TransferTicket t = table.beginTransfer(first.leaseId(), "d", first.chunk(), first.offset(),
                first.length()).value();
        table.renew(first.leaseId(), MIB);
        advance(Duration.ofSeconds(1));
        table.renew(first.leaseId(), 4 * MIB); // 3 MiB in 1 s
        table.finishTransfer(t, true);
        Lease third = take("fast", 1).get(0);
        advance(Duration.ofSeconds(1));
        write(third);
        advance(Duration.ofSeconds(8));
        table.renew(held.leaseId(), received);
        return table.acquire("fast");
    }

    @Test
    void aHolderThatWillFinishSoonIsNotDuplicated() {
        assertTrue(duplicateAfterSlowHolderDelivered(4 * MIB - 100_000).isEmpty(),
                "the holder needs ~0.25 s more, the fast worker about 1 s");
    }

    @Test
    void aHolderFarBehindIsDuplicatedWhileTheLossIsSmall() {
        Optional<Lease> dup = duplicateAfterSlowHolderDelivered(100_000);
        assertTrue(dup.isPresent(), "the holder needs ~400 s more; 100 kB lost is within 1 % of 12 MiB");
        assertTrue(dup.get().duplicate());
        assertEquals(1, dup.get().chunk());
    }

    @Test
    void aSlowWorkerLeavesDuplicatesToFasterOnes() {
        table.register("d", new ChunkPlan(44 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow(); // 41 written, 3 queued
        List<Lease> last = take("fast", 3);
        advance(Duration.ofMillis(2000));
        last.forEach(l -> table.renew(l.leaseId(), MIB / 2)); // slowed down, but delivering
        advance(Duration.ofMillis(500)); // in flight 2.5 s, beyond twice the median chunk time
        assertTrue(table.acquire("slow").isEmpty(), "the fast worker will be free and done long before the slow one");
        assertTrue(table.acquire("medium").isPresent(), "a worker of unknown pace still gets a late duplicate");
    }

    @Test
    void aDuplicateThatWouldLoseMoreThanTheBudgetIsNotMade() {
        assertFalse(duplicateAfterSlowHolderDelivered(MIB).isPresent(),
                "1 MiB already fetched by the holder is more than 1 % of 12 MiB");
    }

    @Test
    void theDuplicateGoesToTheChunkThatWouldEndLastNotTheOldest() {
        // 16 MiB in 4 MiB chunks; the fast worker's pace is known (4 MiB/s) from chunk 0.
        table.register("d", new ChunkPlan(16 * MIB, 4 * MIB), new BitSet());
        Lease first = take("fast", 1).get(0);
        Lease old = take("old", 1).get(0);
        TransferTicket t = table.beginTransfer(first.leaseId(), "d", first.chunk(), first.offset(),
                first.length()).value();
        table.renew(first.leaseId(), MIB);
        advance(Duration.ofSeconds(1));
        table.renew(first.leaseId(), 4 * MIB);
        table.finishTransfer(t, true);
        Lease third = take("fast", 1).get(0);
        advance(Duration.ofSeconds(1));
        write(third);
        Lease young = take("young", 1).get(0);
        table.beginTransfer(old.leaseId(), "d", old.chunk(), old.offset(), old.length());
        table.beginTransfer(young.leaseId(), "d", young.chunk(), young.offset(), young.length());
        advance(Duration.ofSeconds(3));
        table.renew(old.leaseId(), 100_000); // 5 s for 100 kB: ~200 s more
        table.renew(young.leaseId(), 5_000); // 3 s for 5 kB: ~40 min more, and little to lose
        Optional<Lease> dup = table.acquire("fast");
        assertTrue(dup.isPresent());
        assertEquals(young.chunk(), dup.get().chunk(), "the chunk whose holder would end last, though younger");
    }
}
