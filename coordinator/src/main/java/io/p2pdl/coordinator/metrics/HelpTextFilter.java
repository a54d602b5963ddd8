package io.p2pdl.coordinator.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.p2pdl.fetch.metrics.MeterConventions;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Registers the shared help-text filter (see {@link MeterConventions#noQuotesInHelp()}). */
@Singleton
public class HelpTextFilter {

    @Produces
    @Singleton
    MeterFilter noQuotesInHelp() {
        return MeterConventions.noQuotesInHelp();
    }
}
