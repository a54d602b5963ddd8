package io.p2pdl.cli.progress;

import static io.p2pdl.cli.testing.Downloads.completed;
import static io.p2pdl.cli.testing.Downloads.failed;
import static io.p2pdl.cli.testing.Downloads.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.DownloadState;
import io.p2pdl.proto.v1.FailureReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainProgressRendererTest {

    private static final long MIB = 1 << 20;

    @Test
    void printsOneLineEveryFiveSecondsAndNeverACarriageReturn() {
        PlainProgressRenderer r = new PlainProgressRenderer();
        List<String> lines = new ArrayList<>();
        for (long t = 0; t <= 12_000; t += 500) {
            String text = r.update(t, running("d1", "big.iso", 100 * MIB, t * MIB / 1000));
            if (!text.isEmpty()) {
                lines.add(text);
            }
        }
        assertEquals(3, lines.size(), lines.toString()); // at 0 s, 5 s and 10 s
        lines.forEach(l -> assertFalse(l.contains("\r")));
        assertEquals("running big.iso: 5.0%, 5.0 MiB of 100.0 MiB, 1.0 MiB/s, ETA 1m35s, 2 workers\n", lines.get(1));
    }

    @Test
    void stateChangesArePrintedAtOnce() {
        PlainProgressRenderer r = new PlainProgressRenderer();
        r.update(0, running("d1", "f", 100, 10));
        String paused = r.update(1_000, running("d1", "f", 100, 10).toBuilder().setState(DownloadState.PAUSED).build());
        assertTrue(paused.startsWith("paused f: 10.0%"), paused);
    }

    @Test
    void stallShowsZeroRateAndUnknownEta() {
        PlainProgressRenderer r = new PlainProgressRenderer();
        r.update(0, running("d1", "f", 100 * MIB, 0));
        r.update(5_000, running("d1", "f", 100 * MIB, 50 * MIB));
        String stalled = r.update(11_000, running("d1", "f", 100 * MIB, 50 * MIB));
        assertTrue(stalled.contains(", 0 B/s, ETA --,"), stalled);
    }

    @Test
    void unknownSizeSaysSoWithoutEta() {
        PlainProgressRenderer r = new PlainProgressRenderer();
        String line = r.update(0, running("d1", "f", -1, 2048));
        assertEquals("running f: 2.0 KiB of unknown size, --, 2 workers\n", line);
    }

    @Test
    void summaryLinesForCompletedAndFailed() {
        PlainProgressRenderer r = new PlainProgressRenderer();
        assertEquals("completed big.iso 1.0 GiB in 12s (81.9 MiB/s) sha256 " + "ab".repeat(32) + "\n",
                r.finish(0, completed("d1", "big.iso", 1024 * MIB, 12_500)));
        assertEquals("failed big.iso: ORIGIN_CHANGED: etag changed\n",
                r.finish(0, failed("d1", "big.iso", FailureReason.ORIGIN_CHANGED, "etag changed")));
    }

    @Test
    void terminalSnapshotLeavesTheWordsToTheSummary() {
        PlainProgressRenderer r = new PlainProgressRenderer();
        r.update(0, running("d1", "f", 100, 10));
        assertEquals("", r.update(100, completed("d1", "f", 100, 100)));
    }
}
