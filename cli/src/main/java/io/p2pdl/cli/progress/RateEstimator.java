package io.p2pdl.cli.progress;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Download rate smoothed over a sliding window of the last few seconds. A window (rather than
 * bytes / elapsed) lets the rate fall to zero during a stall and recover after it, so the ETA
 * tells the truth about now instead of about the average.
 */
public final class RateEstimator {

    private record Sample(long atMillis, long bytes) {
    }

    private final long windowMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /** An estimator that averages over {@code windowMillis}. */
    public RateEstimator(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Records that {@code bytes} were done at {@code atMillis} (monotonic, never decreasing). */
    public void record(long atMillis, long bytes) {
        Sample last = samples.peekLast();
        if (last != null && bytes < last.bytes()) {
            samples.clear(); // a single-stream download restarted from zero: old samples lie
        }
        if (last != null && atMillis < last.atMillis()) {
            return;
        }
        samples.addLast(new Sample(atMillis, bytes));
        // Keep the newest sample at or before the window start, so the window is always fully spanned.
        while (samples.size() > 2) {
            Iterator<Sample> oldest = samples.iterator();
            oldest.next();
            if (oldest.next().atMillis() > atMillis - windowMillis) {
                break;
            }
            samples.removeFirst();
        }
    }

    /** Bytes per second over the window, or -1 while fewer than two samples span any time. */
    public double bytesPerSecond() {
        if (samples.size() < 2) {
            return -1;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long span = last.atMillis() - first.atMillis();
        if (span <= 0) {
            return -1;
        }
        return (last.bytes() - first.bytes()) * 1000.0 / span;
    }
}
