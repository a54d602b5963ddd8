package io.p2pdl.cli.progress;

import io.p2pdl.proto.v1.Download;
import io.p2pdl.proto.v1.DownloadState;
import java.util.Locale;

/**
 * Progress for logs (a Kubernetes Job, a CI step): one complete line every five seconds and on
 * each state change, then a one-line summary. Never uses carriage returns, which logs mangle.
 */
public final class PlainProgressRenderer implements ProgressRenderer {

    /** Time between two progress lines. */
    static final long INTERVAL_MILLIS = 5_000;

    private final RateEstimator rate = new RateEstimator(5_000);
    private long lastLineAt;
    private DownloadState lastState;

    @Override
    public String update(long atMillis, Download d) {
        rate.record(atMillis, d.getCompletedBytes());
        boolean stateChanged = d.getState() != lastState;
        if (!stateChanged && atMillis - lastLineAt < INTERVAL_MILLIS) {
            return "";
        }
        lastLineAt = atMillis;
        lastState = d.getState();
        if (DownloadProgress.isTerminal(d)) {
            return ""; // the summary from finish() says it
        }
        return line(d) + "\n";
    }

    @Override
    public String finish(long atMillis, Download last) {
        String summary = DownloadProgress.summary(last);
        return summary.isEmpty() ? "" : summary + "\n";
    }

    String line(Download d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.getState().name().toLowerCase(Locale.ROOT)).append(' ').append(DownloadProgress.name(d)).append(':');
        var fraction = DownloadProgress.fraction(d);
        if (fraction.isPresent()) {
            sb.append(' ').append(Units.percent(fraction.getAsDouble())).append(", ")
                    .append(Units.bytes(d.getCompletedBytes())).append(" of ").append(Units.bytes(d.getSizeBytes()));
        } else {
            sb.append(' ').append(Units.bytes(d.getCompletedBytes())).append(" of unknown size");
        }
        double bytesPerSecond = d.getState() == DownloadState.RUNNING ? rate.bytesPerSecond() : 0;
        sb.append(", ").append(Units.rate(bytesPerSecond));
        if (d.getSizeBytes() >= 0) {
            long eta = DownloadProgress.etaSeconds(d, bytesPerSecond);
            sb.append(", ETA ").append(eta < 0 ? "--" : Units.wholeDuration(eta));
        }
        sb.append(", ").append(d.getActiveWorkers()).append(d.getActiveWorkers() == 1 ? " worker" : " workers");
        return sb.toString();
    }
}
