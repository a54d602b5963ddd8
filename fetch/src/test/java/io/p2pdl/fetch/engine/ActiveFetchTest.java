package io.p2pdl.fetch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where a fetch's permit goes when its body ends: back to the engine, or to the slot succeeding it. */
class ActiveFetchTest {

    private final AtomicInteger released = new AtomicInteger();
    private final List<ActiveFetch> offered = new ArrayList<>();
    private final ActiveFetch fetch = new ActiveFetch(released::incrementAndGet, offered::add);

    @Test
    void withoutASuccessorThePermitGoesBackOnce() {
        fetch.bodyRead();
        fetch.bodyRead();

        assertEquals(1, released.get());
        assertFalse(fetch.claimSuccession(), "a finished body has no succession to claim");
    }

    @Test
    void aClaimingSlotTakesThePermitOverWhenTheBodyEnds() throws InterruptedException {
        assertTrue(fetch.claimSuccession());
        assertFalse(fetch.claimSuccession(), "one successor per fetch");

        fetch.bodyRead();

        assertEquals(0, released.get(), "the permit waits for the successor");
        assertTrue(fetch.awaitPermit(() -> false));
        fetch.dropClaim();
        assertEquals(0, released.get(), "taken over: the successor's own fetch releases it");
    }

    @Test
    void aSuccessorWithoutWorkReturnsAPermitHandedToIt() {
        assertTrue(fetch.claimSuccession());
        fetch.bodyRead();

        fetch.dropClaim();

        assertEquals(1, released.get());
    }

    @Test
    void aClaimDroppedBeforeTheBodyEndsLeavesThePermitToTheFetch() {
        assertTrue(fetch.claimSuccession());
        fetch.dropClaim();
        assertEquals(0, released.get());

        fetch.bodyRead();

        assertEquals(1, released.get());
    }

    @Test
    void aSuccessorGivingUpWhileWaitingLeavesThePermitToTheFetch() throws InterruptedException {
        assertTrue(fetch.claimSuccession());

        assertFalse(fetch.awaitPermit(() -> true));
        fetch.bodyRead();

        assertEquals(1, released.get());
    }

    @Test
    void theSuccessionIsOfferedOnceWhenTheRestTakesUnderTheLeadAtThePaceSoFar() throws InterruptedException {
        fetch.attachBody(() -> { }, null);
        fetch.touch(1_000);
        Thread.sleep(20);
        // 1,000 bytes in >= 20 ms: 99,000 more take >= 2 s, far beyond the lead.
        fetch.remaining(99_000, 100_000);
        assertEquals(List.of(), offered);
        fetch.touch(98_000);
        // More than half the body left: never offered, whatever the pace.
        fetch.remaining(60_000, 100_000);
        assertEquals(List.of(), offered);

        fetch.remaining(1_000, 100_000);
        fetch.remaining(500, 100_000);

        assertEquals(List.of(fetch), offered);
    }
}
