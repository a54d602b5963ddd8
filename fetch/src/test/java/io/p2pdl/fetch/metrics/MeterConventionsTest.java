package io.p2pdl.fetch.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeterConventionsTest {

    @Test
    void helpTextsLoseTheirDoubleQuotes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(MeterConventions.noQuotesInHelp());
        registry.counter("x").getId();
        io.micrometer.core.instrument.Counter.builder("quoted").description("the \"recent\" cpu").register(registry);
        assertEquals("the 'recent' cpu", registry.get("quoted").counter().getId().getDescription());
    }

    @Test
    void bucketsAreGivenInSeconds() {
        assertEquals(Duration.ofMillis(250), MeterConventions.seconds(0.25)[0]);
        assertEquals(11, MeterConventions.CHUNK_BUCKETS.length);
    }
}
