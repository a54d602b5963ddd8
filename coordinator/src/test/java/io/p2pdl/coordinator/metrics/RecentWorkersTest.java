package io.p2pdl.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentWorkersTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RecentWorkers workers = new RecentWorkers(60, now::get);

    @Test
    void countsDistinctWorkersWithinTheWindowOnly() {
        workers.seen("a");
        workers.seen("a");
        now.addAndGet(30);
        workers.seen("b");
        assertEquals(2, workers.count());
        now.addAndGet(31);
        assertEquals(1, workers.count(), "a was last seen 61 ago");
        workers.seen("a");
        assertEquals(2, workers.count());
        now.addAndGet(100);
        assertEquals(0, workers.count());
    }
}
