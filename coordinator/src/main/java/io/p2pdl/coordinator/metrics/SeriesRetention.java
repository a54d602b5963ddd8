package io.p2pdl.coordinator.metrics;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.time.Duration;

/** Which downloads have per-download series: all that are not terminal, and terminal ones for a while. */
final class SeriesRetention {

    private final long retentionMs;

    SeriesRetention(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    static boolean terminal(DownloadState state) {
        return state == DownloadState.COMPLETED || state == DownloadState.FAILED;
    }

    /** True while {@code d} should be exported at wall-clock time {@code nowMs}. */
    boolean keep(Download d, long nowMs) {
        if (!terminal(d.getState())) {
            return true;
        }
        // A terminal download recovered without an end time counts as ended long ago.
        return d.getFinishedAtUnixMs() > 0 && nowMs - d.getFinishedAtUnixMs() < retentionMs;
    }
}
