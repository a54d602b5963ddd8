package io.p2pdl.fetch.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;

/** What the coordinator's and the worker's metrics share: histogram buckets and help-text hygiene. */
public final class MeterConventions {

    /** Buckets (seconds) of per-chunk durations: from a fast LAN chunk to a crawling origin. */
    public static final Duration[] CHUNK_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120);

    private MeterConventions() {
    }

    /** Histogram bucket boundaries given in seconds. */
    public static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return out;
    }

    /**
     * Replaces double quotes in meter descriptions. The Prometheus registry writes them into
     * {@code # HELP} lines as {@code \"}, an escape the text format does not define: Prometheus
     * tolerates it, strict parsers ({@code promtool check metrics}) reject the whole scrape. Only
     * Micrometer's own {@code system.cpu.usage} has one today.
     */
    public static MeterFilter noQuotesInHelp() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String help = id.getDescription();
                if (help == null || help.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        help.replace('"', '\''), id.getType());
            }
        };
    }
}
