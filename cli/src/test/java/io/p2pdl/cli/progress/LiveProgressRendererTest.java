package io.p2pdl.cli.progress;

import static io.p2pdl.cli.testing.Downloads.completed;
import static io.p2pdl.cli.testing.Downloads.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import org.junit.jupiter.api.Test;

class LiveProgressRendererTest {

    private static final long MIB = 1 << 20;

    @Test
    void drawsBarPercentBytesRateEtaAndWorkersOnOneRewrittenLine() {
        LiveProgressRenderer r = new LiveProgressRenderer();
        r.update(0, running("d1", "big.iso", 100 * MIB, 0));
        String text = r.update(1_000, running("d1", "big.iso", 100 * MIB, 10 * MIB));
        assertTrue(text.startsWith("\r["), text);
        assertFalse(text.contains("\n"), text);
        assertTrue(text.contains("##..."), text);
        assertTrue(text.contains("10.0%"), text);
        assertTrue(text.contains("10.0 MiB / 100.0 MiB"), text);
        assertTrue(text.contains("10.0 MiB/s"), text);
        assertTrue(text.contains("ETA 9s"), text);
        assertTrue(text.contains("2 workers"), text);
    }

    @Test
    void redrawsAtMostFiveTimesASecondUnlessTheStateChanges() {
        LiveProgressRenderer r = new LiveProgressRenderer();
        assertFalse(r.update(0, running("d1", "f", 100, 1)).isEmpty());
        assertEquals("", r.update(100, running("d1", "f", 100, 2)));
        assertFalse(r.update(150, running("d1", "f", 100, 2).toBuilder().setState(DownloadState.PAUSED).build()).isEmpty());
        assertFalse(r.update(400, running("d1", "f", 100, 3)).isEmpty());
    }

    @Test
    void stallShowsZeroRateAndUnknownEta() {
        LiveProgressRenderer r = new LiveProgressRenderer();
        r.update(0, running("d1", "f", 100 * MIB, 0));
        r.update(1_000, running("d1", "f", 100 * MIB, 10 * MIB));
        String stalled = r.update(7_000, running("d1", "f", 100 * MIB, 10 * MIB));
        assertTrue(stalled.contains("0 B/s"), stalled);
        assertTrue(stalled.contains("ETA --"), stalled);
    }

    @Test
    void unknownSizeShowsBytesWithoutBarPercentOrEta() {
        LiveProgressRenderer r = new LiveProgressRenderer();
        r.update(0, running("d1", "stream", -1, 0));
        String text = r.update(1_000, running("d1", "stream", -1, 3 * MIB));
        assertTrue(text.startsWith("\r3.0 MiB  3.0 MiB/s"), text);
        assertFalse(text.contains("%"), text);
        assertFalse(text.contains("ETA"), text);
    }

    @Test
    void zeroByteFileNeitherDividesByZeroNorShowsProgressBeforeCompletion() {
        LiveProgressRenderer r = new LiveProgressRenderer();
        String text = r.update(0, running("d1", "empty", 0, 0));
        assertTrue(text.contains("0.0%"), text);
        String end = r.finish(10, completed("d1", "empty", 0, 0));
        assertTrue(end.endsWith("completed empty 0 B in 0.0s (--) sha256 " + "ab".repeat(32) + "\n"), end);
    }

    @Test
    void shorterLinesCoverTheLongerPreviousOneAndFinishErasesIt() {
        LiveProgressRenderer r = new LiveProgressRenderer();
        String first = r.update(0, running("d1", "f", 100 * MIB, 0).toBuilder().setActiveWorkers(12).build());
        String second = r.update(1_000, running("d1", "f", -1, 0));
        assertEquals(first.length(), second.length());
        Download done = completed("d1", "f", 100 * MIB, 4_000);
        String end = r.finish(2_000, done);
        assertTrue(end.matches("(?s)\\r +\\rcompleted f 100\\.0 MiB in 4\\.0s \\(25\\.0 MiB/s\\) sha256 .*\n"), end);
    }
}
