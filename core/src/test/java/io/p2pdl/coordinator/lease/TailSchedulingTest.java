package io.p2pdl.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who gets the last chunks of a download when workers fetch at different speeds (WorkerPaces). */
class TailSchedulingTest {

    private static final long MIB = 1024 * 1024;

    private long now = 1_000_000_000L;
    private final LeaseTable table = new LeaseTable(LeasePolicy.defaults(), () -> now);

    private void advance(Duration d) {
        now += d.toNanos();
    }

    private void write(Lease l) {
        TransferTicket t = table.beginTransfer(l.leaseId(), l.downloadId(), l.chunk(), l.offset(), l.length()).value();
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
     * A fast worker (4 slots, 1 s per chunk) and a slow one (1 slot, 10 s per chunk): the slow one
     * writes chunk 0 after 10 s while the fast one wrote 40.
     */
    private void tenSecondsOfFastAndSlow() {
        Lease slow = take("slow", 1).get(0);
        for (int s = 0; s < 10; s++) {
            List<Lease> fast = take("fast", 4);
            advance(Duration.ofSeconds(1));
            fast.forEach(this::write);
        }
        write(slow);
    }

    @Test
    void aSlowWorkerIsNotGivenAChunkTheFasterOnesWouldFinishSooner() {
        table.register("d", new ChunkPlan(60 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow();
        assertEquals(19, table.counts("d").queued());
        // The fast worker writes ~4 × (10 − 1) = 36 chunks in the slow one's 10 s: more than are queued.
        assertTrue(table.acquire("slow").isEmpty(), "slow would write its chunk last");
        assertTrue(table.acquire("fast").isPresent());
    }

    @Test
    void farFromTheEndASlowWorkerStillGetsChunks() {
        table.register("d", new ChunkPlan(600 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow();
        assertTrue(table.acquire("slow").isPresent());
    }

    @Test
    void aSlowWorkerIsServedWhenTheFasterOnesAreGone() {
        table.register("d", new ChunkPlan(60 * MIB, MIB), new BitSet());
        tenSecondsOfFastAndSlow();
        advance(Duration.ofSeconds(5)); // the fast worker has not been heard of for 2 × its pace + 1 s
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
        }
        assertEquals(40, leased);
        assertTrue(table.countsIfRegistered("d").orElseThrow().queued() == 0);
    }

    /**
     * Three 4 MiB chunks (budget of duplicate losses 1 % of 12 MiB): the fast worker writes chunks
     * 0 and 2 in 1 s each; the slow one holds chunk 1 for 10 s, having delivered {@code received}.
     */
    private Optional<Lease> duplicateAfterSlowHolderDelivered(long received) {
        table.register("d", new ChunkPlan(12 * MIB, 4 * MIB), new BitSet());
        Lease first = take("fast", 1).get(0);
        advance(Duration.ofSeconds(1));
        write(first);
        Lease held = take("slow", 1).get(0);
        Lease third = take("fast", 1).get(0);
        advance(Duration.ofSeconds(1));
        write(third);
        table.beginTransfer(held.leaseId(), "d", held.chunk(), held.offset(), held.length());
        advance(Duration.ofSeconds(9));
        table.renew(held.leaseId(), received);
        return table.acquire("fast");
    }

    @Test
    void aHolderThatWillFinishSoonIsNotDuplicated() {
        assertTrue(duplicateAfterSlowHolderDelivered(4 * MIB - 100_000).isEmpty(),
                "the holder needs ~0.25 s more, the fast worker 1 s");
    }

    @Test
    void aHolderFarBehindIsDuplicatedWhileTheLossIsSmall() {
        Optional<Lease> dup = duplicateAfterSlowHolderDelivered(100_000);
        assertTrue(dup.isPresent(), "the holder needs ~400 s more; 100 kB lost is within 1 % of 12 MiB");
        assertTrue(dup.get().duplicate());
        assertEquals(1, dup.get().chunk());
    }

    @Test
    void aDuplicateThatWouldLoseMoreThanTheBudgetIsNotMade() {
        assertFalse(duplicateAfterSlowHolderDelivered(MIB).isPresent(),
                "1 MiB already fetched by the holder is more than 1 % of 12 MiB");
    }
}
