package io.p2pdl.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.coordinator.plan.ChunkPlan;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseSlotsTest {

    private final ChunkBook book = new ChunkBook("d", new ChunkPlan(1L << 40, 1 << 20), new BitSet(), "http://o:80");
    private final LeaseSlots slots = new LeaseSlots();

    private int lease(String worker, int chunk) {
        int slot = slots.add(book, chunk, worker, false, 0, 100);
        slots.addLive(slot);
        return slot;
    }

    @Test
    void anIdIsFoundUntilItsLeaseIsForgotten() {
        int slot = lease("w", 7);
        String id = slots.id(slot);
        assertEquals(16, id.length());
        assertEquals(slot, slots.find(id));
        slots.finish(slot, 50);
        assertEquals(slot, slots.find(id), "a finished lease is remembered until its forget time");
        slots.forgetDue(49);
        assertEquals(slot, slots.find(id));
        slots.forgetDue(50);
        assertEquals(-1, slots.find(id));
        assertEquals(0, slots.size());
    }

    @Test
    void aReusedSlotDoesNotAnswerToTheOldId() {
        int first = lease("w", 1);
        String old = slots.id(first);
        slots.free(first);
        int second = lease("w", 2);
        assertEquals(first, second, "the freed slot is reused");
        assertEquals(-1, slots.find(old));
        assertEquals(second, slots.find(slots.id(second)));
    }

    @Test
    void malformedIdsAreUnknown() {
        int slot = lease("w", 1);
        String id = slots.id(slot);
        for (String bad : new String[] {null, "", "abc", id + "0", id.substring(1), "zzzzzzzzzzzzzzzz",
                "-000000000000000", "8000000000000000"}) {
            assertEquals(-1, slots.find(bad), String.valueOf(bad));
        }
        String otherRandom = (id.charAt(1) == '0' ? "81" : "80") + id.substring(2);
        assertEquals(-1, slots.find(otherRandom), "the same slot with other random bits is not the lease");
    }

    @Test
    void slotsGrowPastOnePageAndStayAddressable() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3 * LeaseSlots.PAGE + 5; i++) {
            ids.add(slots.id(lease("w" + (i % 7), i)));
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            int slot = slots.find(ids.get(i));
            assertEquals(i, slots.chunk(slot));
            assertTrue(seen.add(slot));
        }
        assertEquals(ids.size(), slots.size());
        int live = 0;
        for (int s = slots.firstLive(); s >= 0; s = slots.nextLive(s)) {
            live++;
        }
        assertEquals(ids.size(), live);
    }

    @Test
    void finishedLeasesAreForgottenInTheOrderTheyFinished() {
        int a = lease("w", 1);
        int b = lease("w", 2);
        int c = lease("w", 3);
        slots.finish(b, 10);
        slots.finish(a, 20);
        slots.finish(c, 30);
        slots.forgetDue(25);
        assertEquals(1, slots.size());
        assertTrue(slots.finished(c));
        assertEquals(c, slots.find(slots.id(c)));
    }

    @Test
    void aRevivedLeaseIsNotForgottenOnItsOldSchedule() {
        int a = lease("w", 1);
        String id = slots.id(a);
        slots.finish(a, 10);
        slots.revive(a);
        assertFalse(slots.finished(a));
        assertEquals(1, slots.liveOfWorker("w"));
        slots.forgetDue(100);
        assertEquals(a, slots.find(id), "live again, so not forgotten");
        slots.finish(a, 200);
        slots.forgetDue(150);
        assertEquals(a, slots.find(id));
        slots.forgetDue(200);
        assertEquals(-1, slots.find(id));
    }

    @Test
    void walkingTheLiveListSurvivesFinishingTheLeaseItIsOn() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(lease("w", i));
        }
        int walked = 0;
        for (int s = slots.firstLive(), next; s >= 0; s = next) {
            next = slots.nextLive(s);
            walked++;
            if (slots.chunk(s) % 2 == 0) {
                slots.finish(s, 5);
            }
        }
        assertEquals(10, walked);
        assertEquals(5, slots.liveOfWorker("w"));
        assertEquals(5, slots.liveOnOrigin("http://o:80"));
    }

    @Test
    void liveCountsFollowWorkersAndOriginAndVanishWithTheirLeases() {
        int a = lease("w1", 1);
        int b = lease("w2", 2);
        lease("w2", 3);
        assertEquals(1, slots.liveOfWorker("w1"));
        assertEquals(2, slots.liveOfWorker("w2"));
        assertEquals(3, slots.liveOnOrigin("http://o:80"));
        slots.finish(a, 1);
        assertEquals(0, slots.liveOfWorker("w1"));
        slots.free(b);
        assertEquals(1, slots.liveOfWorker("w2"));
        assertEquals(1, slots.liveOnOrigin("http://o:80"));
        slots.forgetDue(1);
        slots.freeAll(book);
        assertEquals(0, slots.size());
        assertEquals(0, slots.liveOnOrigin("http://o:80"));
        assertEquals(0, slots.liveOfWorker("w2"));
        assertEquals(-1, slots.firstLive());
    }

    @Test
    void idsOfDifferentLeasesDiffer() {
        assertNotEquals(slots.id(lease("w", 1)), slots.id(lease("w", 2)));
    }
}
