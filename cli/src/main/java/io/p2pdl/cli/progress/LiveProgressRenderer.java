package io.p2pdl.cli.progress;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;

/**
 * Progress for a terminal: one line, redrawn in place with {@code \r} a few times a second:
 * {@code [#####.....]  45.2%  452.0 MiB / 1.0 GiB  112.3 MiB/s  ETA 5s  4 workers}.
 */
public final class LiveProgressRenderer implements ProgressRenderer {

    static final int BAR_WIDTH = 24;
    /** Redraw at most this often; more is flicker the eye cannot read. */
    static final long MIN_REDRAW_MILLIS = 200;

    private final RateEstimator rate = new RateEstimator(5_000);
    private long lastDrawAt = Long.MIN_VALUE;
    private DownloadState lastState;
    private int lastWidth;

    @Override
    public String update(long atMillis, Download d) {
        rate.record(atMillis, d.getCompletedBytes());
        boolean stateChanged = d.getState() != lastState;
        if (!stateChanged && lastDrawAt != Long.MIN_VALUE && atMillis - lastDrawAt < MIN_REDRAW_MILLIS) {
            return "";
        }
        lastDrawAt = atMillis;
        lastState = d.getState();
        return redraw(line(d));
    }

    @Override
    public String finish(long atMillis, Download last) {
        String summary = DownloadProgress.summary(last);
        String erase = lastWidth > 0 ? "\r" + " ".repeat(lastWidth) + "\r" : "";
        lastWidth = 0;
        return summary.isEmpty() ? erase : erase + summary + "\n";
    }

    /** The live line for {@code d} at the current rate (no carriage return). */
    String line(Download d) {
        StringBuilder sb = new StringBuilder();
        var fraction = DownloadProgress.fraction(d);
        if (fraction.isPresent()) {
            int filled = (int) Math.floor(fraction.getAsDouble() * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format("%6s", Units.percent(fraction.getAsDouble()))).append("  ")
                    .append(Units.bytes(d.getCompletedBytes())).append(" / ").append(Units.bytes(d.getSizeBytes()));
        } else {
            sb.append(Units.bytes(d.getCompletedBytes()));
        }
        double bytesPerSecond = d.getState() == DownloadState.RUNNING ? rate.bytesPerSecond() : 0;
        sb.append("  ").append(Units.rate(bytesPerSecond));
        if (d.getSizeBytes() >= 0) {
            long eta = DownloadProgress.etaSeconds(d, bytesPerSecond);
            sb.append("  ETA ").append(eta < 0 ? "--" : Units.wholeDuration(eta));
        }
        sb.append("  ").append(d.getActiveWorkers()).append(d.getActiveWorkers() == 1 ? " worker" : " workers");
        if (d.getState() != DownloadState.RUNNING) {
            sb.append("  ").append(d.getState().name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    private String redraw(String line) {
        // Pad with spaces so a shorter line fully covers the previous one.
        String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
        lastWidth = line.length();
        return "\r" + padded;
    }
}
