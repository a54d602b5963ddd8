package io.p2pdl.cli.progress;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.util.OptionalDouble;

/** Derived figures of a {@link Download} snapshot that every view (progress, status, JSON) agrees on. */
public final class DownloadProgress {

    private DownloadProgress() {
    }

    /** True for the states a download never leaves on its own (FAILED may still be resumed by a user). */
    public static boolean isTerminal(Download d) {
        return d.getState() == DownloadState.COMPLETED || d.getState() == DownloadState.FAILED;
    }

    /**
     * Done fraction 0..1: empty while the size is unknown; a zero-byte file counts as done only once
     * COMPLETED (there is nothing to divide by before that).
     */
    public static OptionalDouble fraction(Download d) {
        if (d.getState() == DownloadState.COMPLETED) {
            return OptionalDouble.of(1.0);
        }
        long size = d.getSizeBytes();
        if (size < 0) {
            return OptionalDouble.empty();
        }
        if (size == 0) {
            return OptionalDouble.of(0.0);
        }
        return OptionalDouble.of(Math.min(1.0, Math.max(0.0, (double) d.getCompletedBytes() / size)));
    }

    /** Seconds left at {@code bytesPerSecond}, or -1 when unknown (no size, no rate, stalled). */
    public static long etaSeconds(Download d, double bytesPerSecond) {
        if (d.getSizeBytes() < 0 || bytesPerSecond <= 0) {
            return -1;
        }
        long remaining = Math.max(0, d.getSizeBytes() - d.getCompletedBytes());
        return (long) Math.ceil(remaining / bytesPerSecond);
    }

    /** The displayed name of a download: its output name, else its id. */
    public static String name(Download d) {
        return d.getOutputName().isEmpty() ? d.getId() : d.getOutputName();
    }

    /**
     * The summary of a finished download: {@code completed NAME SIZE in DURATION (RATE) sha256 HEX}
     * or {@code failed NAME: REASON: message}; empty for a download that is not terminal.
     */
    public static String summary(Download d) {
        if (d.getState() == DownloadState.COMPLETED) {
            long size = d.getSizeBytes() >= 0 ? d.getSizeBytes() : d.getCompletedBytes();
            long millis = d.getDurationMs();
            String rate = millis > 0 ? Units.rate(size * 1000.0 / millis) : "--";
            return "completed " + name(d) + " " + Units.bytes(size) + " in " + Units.duration(millis)
                    + " (" + rate + ") sha256 " + (d.getSha256().isEmpty() ? "-" : d.getSha256());
        }
        if (d.getState() == DownloadState.FAILED) {
            String message = d.getMessage().isBlank() ? "" : ": " + d.getMessage().strip();
            return "failed " + name(d) + ": " + d.getFailureReason().name() + message;
        }
        return "";
    }
}
