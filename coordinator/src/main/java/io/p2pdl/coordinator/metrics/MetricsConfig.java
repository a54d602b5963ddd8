package io.p2pdl.coordinator.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Metrics settings of the coordinator ({@code p2pdl.coordinator.metrics.*}). */
@ConfigMapping(prefix = "p2pdl.coordinator.metrics")
public interface MetricsConfig {

    /**
     * How long the per-download series ({@code p2pdl_download_*}) stay after the download reached
     * a terminal state (completed or failed): long enough for a few scrapes and the "failed"
     * alert, short enough to keep the number of series bounded.
     */
    @WithDefault("10M")
    Duration retention();
}
