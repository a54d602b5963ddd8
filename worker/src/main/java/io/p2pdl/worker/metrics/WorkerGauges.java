package io.p2pdl.worker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.p2pdl.worker.fetch.FetchEngineService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Gauges read from the running engine: chunks in flight and coordinators known. */
@Singleton
public class WorkerGauges {

    private final MeterRegistry registry;
    private final FetchEngineService engine;

    WorkerGauges(MeterRegistry registry, FetchEngineService engine) {
        this.registry = registry;
        this.engine = engine;
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("p2pdl.worker.chunks.in.flight", engine, FetchEngineService::inFlight).strongReference(true)
                .description("Chunks leased and not yet transferred or released").register(registry);
        Gauge.builder("p2pdl.worker.coordinators", engine, e -> e.knownCoordinators().size()).strongReference(true)
                .description("Coordinators discovery knows now").register(registry);
    }
}
