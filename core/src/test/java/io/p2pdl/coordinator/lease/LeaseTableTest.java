package io.p2pdl.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaseTableTest {

    private static final long MIB = 1024 * 1024;
    private static final LeasePolicy POLICY = new LeasePolicy(Duration.ofSeconds(30), 1, Duration.ofMillis(500),
            Duration.ofSeconds(8), 3, Duration.ofSeconds(1), Duration.ofSeconds(2));

    private long now = 1_000_000_000L;
    private final LeaseTable table = new LeaseTable(POLICY, () -> now);

    private void advance(Duration d) {
        now += d.toNanos();
    }

    private Lease lease(String worker) {
        return table.acquire(worker).orElseThrow();
    }

    /** Transfers a lease successfully and makes it durable. */
    private boolean complete(Lease l) {
        TransferTicket t = table.beginTransfer(l.leaseId(), l.downloadId(), l.chunk(), l.offset(), l.length()).value();
        assertTrue(table.finishTransfer(t, true).value());
        return table.markDone(l.downloadId(), table.takeWritten(l.downloadId()));
    }

    @Test
    void chunksAreLeasedInOrderWithPlannedRanges() {
        table.register("d", new ChunkPlan(3 * MIB - 5, MIB), new BitSet());
        Lease a = lease("w1");
        Lease b = lease("w1");
        Lease c = lease("w2");
        assertEquals(List.of(0, 1, 2), List.of(a.chunk(), b.chunk(), c.chunk()));
        assertEquals(2 * MIB, c.offset());
        assertEquals(MIB - 5, c.length());
        assertEquals(3, table.counts("d").leased());
    }

    @Test
    void doneChunksFromRecoveryAreNeverLeased() {
        BitSet done = new BitSet();
        done.set(0);
        done.set(2);
        table.register("d", new ChunkPlan(4 * MIB, MIB), done);
        assertEquals(1, lease("w").chunk());
        assertEquals(3, lease("w").chunk());
        assertEquals(2 * MIB, table.counts("d").doneBytes());
    }

    @Test
    void expiredLeaseIsReassigned() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease first = lease("w1");
        advance(Duration.ofSeconds(31));
        table.expire();
        Lease again = table.acquire("w4").orElseThrow();
        assertEquals(first.chunk(), again.chunk());
        assertFalse(again.duplicate());
        assertTrue(table.expirations() >= 1);
    }

    @Test
    void transferFramesRenewTheLease() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w1");
        table.beginTransfer(l.leaseId(), "d", 0, 0, MIB);
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofSeconds(20));
            table.renew(l.leaseId(), (i + 1) * 1024L);
            assertEquals(0, table.expire());
        }
    }

    @Test
    void stalledTransferLosesItsClaimAndTheChunkIsRequeued() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w1");
        TransferTicket t = table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).value();
        advance(Duration.ofSeconds(31));
        assertEquals(1, table.expire());
        assertFalse(t.claim().isValid());
        assertEquals(0, table.acquire("w2").orElseThrow().chunk());
    }

    @Test
    void releasedChunkIsRequeuedAfterBackoffThatGrows() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w1");
        assertEquals(ReleaseOutcome.REQUEUED, table.release(l.leaseId(), true, 0));
        assertTrue(table.acquire("w1").isEmpty(), "backoff of 500 ms not over");
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), table.retryAfterNanos());
        advance(Duration.ofMillis(500));
        Lease second = lease("w1");
        table.release(second.leaseId(), true, 0);
        advance(Duration.ofMillis(500));
        assertTrue(table.acquire("w1").isEmpty(), "second failure waits 1 s");
        advance(Duration.ofMillis(500));
        assertTrue(table.acquire("w1").isPresent());
    }

    @Test
    void retryAfterFromOriginIsHonoured() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        table.release(lease("w").leaseId(), true, Duration.ofSeconds(5).toNanos());
        advance(Duration.ofSeconds(4));
        assertTrue(table.acquire("w").isEmpty());
        advance(Duration.ofSeconds(1));
        assertTrue(table.acquire("w").isPresent());
    }

    @Test
    void stoppingWorkerReleaseRequeuesAtOnceWithoutCountingFailure() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        for (int i = 0; i < 10; i++) {
            assertEquals(ReleaseOutcome.REQUEUED, table.release(lease("w").leaseId(), false, 0));
        }
        assertTrue(table.acquire("w").isPresent());
    }

    @Test
    void repeatedFailuresOfOneChunkEndTheDownload() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        assertEquals(ReleaseOutcome.REQUEUED, table.release(lease("w").leaseId(), true, 0));
        advance(Duration.ofSeconds(10));
        assertEquals(ReleaseOutcome.REQUEUED, table.release(lease("w").leaseId(), true, 0));
        advance(Duration.ofSeconds(10));
        assertEquals(ReleaseOutcome.TOO_MANY_FAILURES, table.release(lease("w").leaseId(), true, 0));
    }

    @Test
    void endgameDuplicatesOldestInFlightChunkToAnotherWorkerOnly() {
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        Lease slow = lease("slow");
        advance(Duration.ofSeconds(1));
        Lease other = lease("fast");
        assertTrue(table.acquire("fast").isEmpty(), "young chunks are not duplicated");
        advance(Duration.ofSeconds(2));
        Lease dup = table.acquire("fast").orElseThrow();
        assertTrue(dup.duplicate());
        assertEquals(slow.chunk(), dup.chunk(), "oldest in-flight chunk first");
        Lease dup2 = table.acquire("slow").orElseThrow();
        assertNotEquals(slow.chunk(), dup2.chunk(), "never a copy of the worker's own chunk");
        assertEquals(other.chunk(), dup2.chunk());
        assertTrue(table.acquire("third").isEmpty(), "duplicates are bounded");
        assertEquals(2, table.endgameDuplicates());
    }

    @Test
    void aWorkerAskingAheadGetsQueuedChunksButNeverAnEndgameDuplicate() {
        table.register("d", new ChunkPlan(3 * MIB, MIB), new BitSet());
        lease("slow");
        lease("slow");
        Lease queued = table.acquire("fast", true).orElseThrow();
        assertFalse(queued.duplicate());
        advance(Duration.ofSeconds(3));

        assertTrue(table.acquire("fast", true).isEmpty(), "a duplicate must start at once, not after a body ends");
        assertTrue(table.acquire("fast").orElseThrow().duplicate(), "a slot free now gets it");
    }

    @Test
    void endgameWaitsForTwiceTheMedianChunkTime() {
        table.register("d", new ChunkPlan(4 * MIB, MIB), new BitSet());
        for (int i = 0; i < 2; i++) {
            Lease l = lease("w");
            advance(Duration.ofSeconds(3));
            complete(l);
        }
        lease("slow");
        lease("slow");
        advance(Duration.ofSeconds(5));
        assertTrue(table.acquire("fast").isEmpty(), "5 s is less than twice the 3 s median");
        advance(Duration.ofSeconds(1));
        assertTrue(table.acquire("fast").orElseThrow().duplicate());
    }

    @Test
    void endgameStartsOnlyWhenNothingIsQueued() {
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        lease("a");
        Lease b = lease("b");
        table.release(b.leaseId(), true, 0);
        assertTrue(table.acquire("c").isEmpty(), "chunk 1 waits for its backoff; no endgame meanwhile");
    }

    @Test
    void duplicateTransferOfWrittenChunkIsVerifyOnly() {
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        Lease slow = lease("slow");
        lease("fast");
        advance(Duration.ofSeconds(3));
        Lease dup = table.acquire("fast").orElseThrow();
        assertTrue(dup.duplicate());
        complete(dup);
        TransferTicket late = table.beginTransfer(slow.leaseId(), "d", 0, 0, MIB).value();
        assertTrue(late.verifyOnly());
        assertNull(late.claim());
        assertFalse(table.finishTransfer(late, true).value(), "dropped, not written twice");
        assertEquals(1, table.counts("d").done());
    }

    private TransferTicket begin(Lease l) {
        return table.beginTransfer(l.leaseId(), l.downloadId(), l.chunk(), l.offset(), l.length()).value();
    }

    /** Chunk 0 leased to "a", then (3 s later, nothing queued) duplicated to "b". */
    private Lease[] holderAndDuplicate() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease a = lease("a");
        advance(Duration.ofSeconds(3));
        Lease b = table.acquire("b").orElseThrow();
        assertTrue(b.duplicate());
        return new Lease[] {a, b};
    }

    @Test
    void aDuplicateTransferStandsByWhileTheHolderWritesAndStopsWhenTheHolderWins() {
        Lease[] l = holderAndDuplicate();
        TransferTicket ta = begin(l[0]);
        TransferTicket tb = begin(l[1]);
        assertFalse(ta.standby());
        assertTrue(tb.standby());
        assertTrue(ta.claim().isValid(), "the holder keeps writing");
        assertTrue(table.finishTransfer(ta, true).value());
        assertFalse(tb.claim().isValid(), "the standby is told to stop at its next frame");
        assertEquals(TransferRejection.SUPERSEDED, table.promote(tb).rejection());
        assertEquals(TransferRejection.SUPERSEDED, table.finishTransfer(tb, true).rejection());
    }

    @Test
    void aVerifiedStandbyTakesTheChunkOverFromItsHolder() {
        Lease[] l = holderAndDuplicate();
        TransferTicket ta = begin(l[0]);
        TransferTicket tb = begin(l[1]);
        assertTrue(table.promote(tb).value());
        assertFalse(ta.claim().isValid(), "the holder cannot write once the standby owns the region");
        assertTrue(tb.claim().isValid());
        assertEquals(TransferRejection.SUPERSEDED, table.finishTransfer(ta, true).rejection());
        assertTrue(table.finishTransfer(tb, true).value());
        assertEquals(1, table.counts("d").written() + table.counts("d").done());
    }

    @Test
    void aFailedStandbyLeavesTheHolderWritingAndAFailedHolderLeavesTheStandby() {
        Lease[] l = holderAndDuplicate();
        TransferTicket ta = begin(l[0]);
        TransferTicket tb = begin(l[1]);
        assertFalse(table.finishTransfer(tb, false).value());
        assertFalse(tb.claim().isValid());
        assertTrue(ta.claim().isValid());
        TransferTicket tb2 = begin(l[1]);
        assertTrue(tb2.standby(), "a retried duplicate stands by again");
        assertFalse(table.finishTransfer(ta, false).value());
        assertTrue(table.acquire("c").isEmpty(), "a chunk a standby still covers is not requeued");
        assertTrue(table.promote(tb2).value());
        assertTrue(table.finishTransfer(tb2, true).value());
    }

    @Test
    void aRetriedStreamOfTheSameLeaseTakesOverItsEarlierStream() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease a = lease("a");
        TransferTicket first = begin(a);
        TransferTicket retry = begin(a);
        assertFalse(retry.standby());
        assertFalse(first.claim().isValid());
        assertEquals(TransferRejection.SUPERSEDED, table.finishTransfer(first, true).rejection());
        assertTrue(table.finishTransfer(retry, true).value());
    }

    @Test
    void aDuplicateStartingAfterTheHolderDroppedItsClaimWritesDirectly() {
        Lease[] l = holderAndDuplicate();
        TransferTicket ta = begin(l[0]);
        assertFalse(table.finishTransfer(ta, false).value());
        TransferTicket tb = begin(l[1]);
        assertFalse(tb.standby());
        assertTrue(table.finishTransfer(tb, true).value());
    }

    @Test
    void stalledStandbysLoseTheirClaimsWithTheLeases() {
        Lease[] l = holderAndDuplicate();
        TransferTicket ta = begin(l[0]);
        TransferTicket tb = begin(l[1]);
        advance(Duration.ofSeconds(31));
        table.expire();
        assertFalse(ta.claim().isValid());
        assertFalse(tb.claim().isValid());
        assertEquals(0, lease("c").chunk(), "the chunk is queued again");
    }

    @Test
    void lateTransferOfExpiredButUnwrittenLeaseIsAccepted() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w");
        advance(Duration.ofSeconds(31));
        table.expire();
        TransferTicket t = table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).value();
        assertFalse(t.verifyOnly());
        assertTrue(table.finishTransfer(t, true).value());
        assertTrue(table.acquire("other").isEmpty(), "requeued chunk was taken back by the late transfer");
    }

    @Test
    void longExpiredLeaseIsUnknown() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w");
        advance(Duration.ofSeconds(31));
        table.expire();
        advance(Duration.ofSeconds(31));
        table.expire();
        assertEquals(TransferRejection.UNKNOWN_LEASE, table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).rejection());
    }

    @Test
    void writtenChunksLeaseIsRememberedForOneTtlThenForgotten() {
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        Lease l = lease("w");
        complete(l);
        advance(Duration.ofSeconds(29));
        table.expire();
        assertTrue(table.find(l.leaseId()).isPresent(), "a late duplicate transfer is still recognised");
        advance(Duration.ofSeconds(2));
        assertEquals(0, table.expire(), "a finished lease does not expire again");
        assertTrue(table.find(l.leaseId()).isEmpty());
        assertEquals(0, table.leaseCount());
    }

    @Test
    void leaseRevivedByALateTransferIsNotForgottenByItsEarlierExpiry() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w");
        advance(Duration.ofSeconds(31));
        assertEquals(1, table.expire());
        TransferTicket t = table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).value();
        for (int i = 0; i < 4; i++) { // frames keep arriving past the first forget time
            advance(Duration.ofSeconds(10));
            table.renew(l.leaseId(), (i + 1) * 1024L);
            assertEquals(0, table.expire());
        }
        assertTrue(table.find(l.leaseId()).isPresent());
        assertTrue(table.finishTransfer(t, true).value());
    }

    @Test
    void expirySweepKeepsTheTableBoundedUnderSteadyLeasing() {
        table.register("d", new ChunkPlan(100_000 * MIB, MIB), new BitSet());
        for (int second = 0; second < 120; second++) {
            for (int i = 0; i < 100; i++) {
                complete(lease("w" + i % 10));
            }
            advance(Duration.ofSeconds(1));
            table.expire();
        }
        assertTrue(table.leaseCount() <= 31 * 100, "only the last TTL's finished leases are remembered: "
                + table.leaseCount());
    }

    @Test
    void headerNotMatchingLeaseIsRejected() {
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        Lease l = lease("w");
        assertEquals(TransferRejection.RANGE_MISMATCH, table.beginTransfer(l.leaseId(), "d", 1, MIB, MIB).rejection());
        assertEquals(TransferRejection.RANGE_MISMATCH, table.beginTransfer(l.leaseId(), "d", 0, 0, 5).rejection());
        assertEquals(TransferRejection.RANGE_MISMATCH, table.beginTransfer(l.leaseId(), "e", 0, 0, MIB).rejection());
    }

    @Test
    void failedTransferKeepsLeaseForRetryAndReleaseAfterCancelRequeues() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w");
        TransferTicket t = table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).value();
        assertFalse(table.finishTransfer(t, false).value());
        TransferTicket retry = table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).value();
        assertTrue(retry.claim().isValid());
        assertEquals(ReleaseOutcome.REQUEUED, table.release(l.leaseId(), true, 0), "release overtakes the cancel");
        assertFalse(retry.claim().isValid());
    }

    @Test
    void downloadsAreServedRoundRobin() {
        table.register("big", new ChunkPlan(100 * MIB, MIB), new BitSet());
        table.register("small", new ChunkPlan(2 * MIB, MIB), new BitSet());
        Set<String> firstTwo = new HashSet<>();
        firstTwo.add(lease("w").downloadId());
        firstTwo.add(lease("w").downloadId());
        assertEquals(Set.of("big", "small"), firstTwo);
    }

    @Test
    void pausedDownloadGetsNoLeasesButItsTransfersLand() {
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        Lease l = lease("w");
        table.setActive("d", false);
        assertEquals(Optional.empty(), table.acquire("w"));
        assertFalse(complete(l));
        table.setActive("d", true);
        assertTrue(complete(lease("w")));
    }

    @Test
    void unregisterRevokesClaims() {
        table.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        Lease l = lease("w");
        TransferTicket t = table.beginTransfer(l.leaseId(), "d", 0, 0, MIB).value();
        table.unregister("d");
        assertFalse(t.claim().isValid());
        assertEquals(0, table.leaseCount());
        assertEquals(TransferRejection.DOWNLOAD_NOT_ACTIVE, table.finishTransfer(t, true).rejection());
    }

    @Test
    void allChunksDoneIsReported() {
        table.register("d", new ChunkPlan(3 * MIB, MIB), new BitSet());
        assertFalse(complete(lease("w")));
        assertFalse(complete(lease("w")));
        assertTrue(complete(lease("w")));
        assertEquals(3 * MIB, table.counts("d").doneBytes());
        assertEquals(3, table.doneBitmap("d").cardinality());
    }

    @Test
    void donePrefixCoversOnlyLeadingDoneChunks() {
        table.register("p", new ChunkPlan(3 * MIB - 5, MIB), new BitSet());
        assertEquals(0, table.donePrefixBytes("p"));
        table.markDone("p", java.util.List.of(1));
        assertEquals(0, table.donePrefixBytes("p"), "chunk 0 is missing");
        table.markDone("p", java.util.List.of(0));
        assertEquals(2 * MIB, table.donePrefixBytes("p"));
        table.markDone("p", java.util.List.of(2));
        assertEquals(3 * MIB - 5, table.donePrefixBytes("p"));
        assertEquals(0, table.donePrefixBytes("unknown"));
    }

    @Test
    void workerAtItsLeaseCapGetsNoWorkUntilALeaseEnds() {
        LeaseTable capped = new LeaseTable(POLICY.withMaxLeasesPerWorker(2), () -> now);
        capped.register("d", new ChunkPlan(5 * MIB, MIB), new BitSet());
        Lease a = capped.acquire("w1").orElseThrow();
        capped.acquire("w1").orElseThrow();
        assertEquals(Optional.empty(), capped.acquire("w1"), "third lease over the cap of 2");
        assertTrue(capped.atLeaseCap("w1"));
        assertEquals(POLICY.noWorkRetryAfter().toNanos(), capped.retryAfterNanos("w1"));
        // Other workers are not affected.
        assertEquals(2, capped.acquire("w2").orElseThrow().chunk());

        // Releasing one lease frees a place.
        capped.release(a.leaseId(), false, 0);
        assertFalse(capped.atLeaseCap("w1"));
        assertTrue(capped.acquire("w1").isPresent());
        assertEquals(Optional.empty(), capped.acquire("w1"));
    }

    @Test
    void writtenAndExpiredLeasesNoLongerCountTowardsTheCap() {
        LeaseTable capped = new LeaseTable(POLICY.withMaxLeasesPerWorker(1), () -> now);
        capped.register("d", new ChunkPlan(4 * MIB, MIB), new BitSet());
        Lease a = capped.acquire("w").orElseThrow();
        assertEquals(Optional.empty(), capped.acquire("w"));
        TransferTicket t = capped.beginTransfer(a.leaseId(), "d", a.chunk(), a.offset(), a.length()).value();
        assertTrue(capped.finishTransfer(t, true).value());
        assertEquals(0, capped.liveLeases("w"), "the written chunk's lease is remembered but no longer live");

        capped.acquire("w").orElseThrow();
        assertEquals(Optional.empty(), capped.acquire("w"));
        advance(Duration.ofSeconds(31));
        assertEquals(1, capped.expire());
        assertTrue(capped.acquire("w").isPresent(), "the expired lease no longer counts");
    }

    @Test
    void endgameDuplicatesCountTowardsTheCap() {
        LeaseTable capped = new LeaseTable(POLICY.withMaxLeasesPerWorker(1), () -> now);
        capped.register("d", new ChunkPlan(MIB, MIB), new BitSet());
        capped.acquire("w1").orElseThrow();
        advance(Duration.ofSeconds(3));
        Lease dup = capped.acquire("w2").orElseThrow();
        assertTrue(dup.duplicate());
        assertEquals(1, capped.liveLeases("w2"));
        assertEquals(Optional.empty(), capped.acquire("w1"));
    }

    @Test
    void defaultCapIsSixtyFourLeasesPerWorker() {
        assertEquals(64, LeasePolicy.defaults().maxLeasesPerWorker());
        LeaseTable table64 = new LeaseTable(LeasePolicy.defaults(), () -> now);
        table64.register("d", new ChunkPlan(100 * MIB, MIB), new BitSet());
        for (int i = 0; i < 64; i++) {
            assertTrue(table64.acquire("w").isPresent());
        }
        assertEquals(Optional.empty(), table64.acquire("w"));
        assertTrue(table64.acquire("other").isPresent());
    }

    @Test
    void registeringAndResumingSignalWorkButPausingDoesNot() {
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        table.onWorkAvailable(signals::incrementAndGet);
        table.register("d", new ChunkPlan(2 * MIB, MIB), new BitSet());
        assertEquals(1, signals.get());
        table.setActive("d", false);
        assertEquals(1, signals.get());
        table.setActive("d", true);
        assertEquals(2, signals.get());
    }

    @Test
    void theLastWrittenChunkSignalsOnceAndOnlyThen() {
        List<String> signals = new java.util.ArrayList<>();
        table.onAllWritten(signals::add);
        BitSet done = new BitSet();
        done.set(1);
        table.register("d", new ChunkPlan(3 * MIB, MIB), done);
        Lease a = lease("w");
        Lease c = lease("w");
        TransferTicket ta = table.beginTransfer(a.leaseId(), "d", a.chunk(), a.offset(), a.length()).value();
        TransferTicket tc = table.beginTransfer(c.leaseId(), "d", c.chunk(), c.offset(), c.length()).value();
        assertTrue(table.finishTransfer(ta, true).value());
        assertEquals(List.of(), signals, "chunk 2 is still in flight");
        assertFalse(table.finishTransfer(tc, false).value());
        assertEquals(List.of(), signals, "a failed transfer writes nothing");
        TransferTicket again = table.beginTransfer(c.leaseId(), "d", c.chunk(), c.offset(), c.length()).value();
        assertTrue(table.finishTransfer(again, true).value());
        assertEquals(List.of("d"), signals);
    }

    @Test
    void theOriginCapCountsLiveLeasesOverWorkersAndDownloads() {
        LeaseTable capped = new LeaseTable(POLICY.withMaxLeasesPerOrigin(3), () -> now);
        capped.register("a", new ChunkPlan(10 * MIB, MIB), new BitSet(), "http://o:80");
        capped.register("b", new ChunkPlan(10 * MIB, MIB), new BitSet(), "http://o:80");
        capped.register("c", new ChunkPlan(10 * MIB, MIB), new BitSet(), "http://other:80");
        List<Lease> got = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(capped.acquire("w" + (i % 3)).orElseThrow());
        }
        assertEquals(3, got.stream().filter(l -> !l.downloadId().equals("c")).count(), "a and b share o's three");
        assertEquals(3, capped.liveLeasesOnOrigin("http://o:80"));
        assertEquals(3, capped.liveLeasesOnOrigin("http://other:80"));
        assertEquals(Optional.empty(), capped.acquire("w9"), "both origins at their cap");

        Lease onO = got.stream().filter(l -> l.downloadId().equals("a")).findFirst().orElseThrow();
        capped.release(onO.leaseId(), false, 0);
        assertEquals(2, capped.liveLeasesOnOrigin("http://o:80"));
        Lease next = capped.acquire("w9").orElseThrow();
        assertTrue(next.downloadId().equals("a") || next.downloadId().equals("b"), next.downloadId());
        assertEquals(Optional.empty(), capped.acquire("w9"));

        now += POLICY.ttl().toNanos() + 1;
        capped.expire();
        assertEquals(0, capped.liveLeasesOnOrigin("http://o:80"));
        assertEquals(0, capped.liveLeases("w1"));
        assertTrue(capped.acquire("w1").isPresent());
    }

    @Test
    void liveLeaseCountsFollowTransfersReleasesAndUnregistering() {
        table.register("d", new ChunkPlan(4 * MIB, MIB), new BitSet(), "http://o:80");
        Lease a = lease("w");
        Lease b = lease("w");
        lease("w");
        assertEquals(3, table.liveLeases("w"));
        complete(a);
        assertEquals(2, table.liveLeases("w"));
        table.release(b.leaseId(), true, 0);
        assertEquals(1, table.liveLeases("w"));
        assertEquals(1, table.liveLeasesOnOrigin("http://o:80"));
        table.unregister("d");
        assertEquals(0, table.liveLeases("w"));
        assertEquals(0, table.liveLeasesOnOrigin("http://o:80"));
    }
}
