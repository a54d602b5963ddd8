package io.p2pdl.coordinator.download;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.time.Duration;

/**
 * Which status snapshots a {@code Watch} sends: the first at once, then one per interval, and the
 * terminal one as soon as it is seen. The watcher looks every {@link #TICK} and asks {@link #due};
 * so a {@code get} or {@code submit --wait} ends right after the download does, not up to an
 * interval later. Used by the coordinator's gRPC {@code Watch} and by {@code get}'s in-process core.
 */
public final class WatchPacer {

    /** How often a watcher looks at the download between snapshots. */
    public static final Duration TICK = Duration.ofMillis(50);

    private final long intervalNanos;
    private boolean sentAny;
    private long lastSentNanos;

    /** A pacer sending a snapshot every {@code interval}. */
    public WatchPacer(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** True for COMPLETED and FAILED, the states a watch ends with. */
    public static boolean isTerminal(Download d) {
        return d.getState() == DownloadState.COMPLETED || d.getState() == DownloadState.FAILED;
    }

    /**
     * True when {@code d}, seen at {@code nowNanos}, is to be sent: the first snapshot, a whole interval
     * after the last one sent, or a terminal one. A true answer starts the next interval.
     */
    public synchronized boolean due(Download d, long nowNanos) {
        if (!isTerminal(d) && sentAny && nowNanos - lastSentNanos < intervalNanos) {
            return false;
        }
        sentAny = true;
        lastSentNanos = nowNanos;
        return true;
    }
}
