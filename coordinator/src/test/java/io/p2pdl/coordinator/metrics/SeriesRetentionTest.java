package io.p2pdl.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SeriesRetentionTest {

    private final SeriesRetention retention = new SeriesRetention(Duration.ofMinutes(10));
    private static final long NOW = 1_800_000_000_000L;

    private static Download d(DownloadState state, long finishedAt) {
        return Download.newBuilder().setId("x").setState(state).setFinishedAtUnixMs(finishedAt).build();
    }

    @Test
    void downloadsThatAreNotTerminalAreAlwaysKept() {
        for (DownloadState s : new DownloadState[] {DownloadState.RUNNING, DownloadState.PAUSED,
                DownloadState.VERIFYING}) {
            assertTrue(retention.keep(d(s, 0), NOW), s.name());
        }
    }

    @Test
    void terminalDownloadsAreKeptForTheRetentionThenDropped() {
        assertTrue(retention.keep(d(DownloadState.COMPLETED, NOW - 599_000), NOW));
        assertFalse(retention.keep(d(DownloadState.COMPLETED, NOW - 600_000), NOW));
        assertTrue(retention.keep(d(DownloadState.FAILED, NOW - 1), NOW));
        assertFalse(retention.keep(d(DownloadState.FAILED, 0), NOW), "no end time: ended long ago");
    }
}
