package io.p2pdl.worker.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Replaces double quotes in meter descriptions. The Prometheus registry writes them into
 * {@code # HELP} lines as {@code \"}, an escape the text format does not define: Prometheus
 * tolerates it, strict parsers ({@code promtool check metrics}) reject the whole scrape. Only
 * Micrometer's own {@code system.cpu.usage} has one today.
 */
@Singleton
public class HelpTextFilter {

    @Produces
    @Singleton
    MeterFilter noQuotesInHelp() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String help = id.getDescription();
                if (help == null || help.indexOf('"') < 0) {
                    return id;
                }
                return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(), help.replace('"', '\''), id.getType());
            }
        };
    }
}
