package io.p2pdl.coordinator.download;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchPacerTest {

    private static final Download RUNNING = Download.newBuilder().setState(DownloadState.RUNNING).build();
    private static final long SECOND = 1_000_000_000L;

    @Test
    void firstSnapshotAtOnceThenOnePerIntervalAndTheEndWithoutWaiting() {
        WatchPacer pacer = new WatchPacer(Duration.ofSeconds(2));
        assertTrue(pacer.due(RUNNING, 10 * SECOND));
        assertFalse(pacer.due(RUNNING, 11 * SECOND));
        assertTrue(pacer.due(RUNNING, 12 * SECOND));
        assertFalse(pacer.due(RUNNING, 12 * SECOND + 1));
        assertTrue(pacer.due(Download.newBuilder().setState(DownloadState.COMPLETED).build(), 12 * SECOND + 2));
        assertTrue(WatchPacer.isTerminal(Download.newBuilder().setState(DownloadState.FAILED).build()));
        assertFalse(WatchPacer.isTerminal(Download.newBuilder().setState(DownloadState.PAUSED).build()));
    }
}
