package io.p2pdl.cli.progress;

import java.util.Locale;

/** Human formatting of byte counts, rates and durations (binary units, like the size flags). */
public final class Units {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 4.0 MiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** {@code 12.3 MiB/s}, or {@code --} when the rate is unknown (negative). */
    public static String rate(double bytesPerSecond) {
        return bytesPerSecond < 0 ? "--" : bytes(Math.round(bytesPerSecond)) + "/s";
    }

    /** {@code 3.2s} under ten seconds, then {@code 42s}, {@code 1m05s}, {@code 2h03m}. */
    public static String duration(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        return wholeDuration(millis / 1000);
    }

    /** An ETA in whole seconds: {@code 5s}, {@code 1m05s}, {@code 2h03m}. */
    public static String wholeDuration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** {@code 45.2%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
