package io.p2pdl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WorkerConfigTest {

    @Inject
    WorkerConfig config;

    @Test
    void defaultsMatchTheDocumentedValues() {
        assertEquals(2, config.concurrency());
        assertEquals(Duration.ofSeconds(2), config.maxIdleBackoff());
        assertEquals(3, config.fetchAttempts());
        assertEquals(Duration.ofSeconds(30), config.requestTimeout());
        assertEquals(Duration.ofSeconds(20), config.drainTimeout());
        assertTrue(config.coordinators().isEmpty());
        assertTrue(config.id().isEmpty());
        assertTrue(config.extraCaBundle().isEmpty());
        assertTrue(config.redact().queryParams().isEmpty());
    }

    @Test
    void originAllowListComesFromConfigurationAndTheDefaultStaysStrict() {
        // test application.properties opens loopback for the tests' origins; nothing else.
        assertEquals(java.util.List.of("127.0.0.0/8", "::1/128"), config.origins().allowedCidrs().orElseThrow());
        assertEquals(java.util.List.of(io.p2pdl.fetch.origin.Cidr.parse("127.0.0.0/8"),
                io.p2pdl.fetch.origin.Cidr.parse("::1/128")),
                io.p2pdl.worker.fetch.FetchEngineService.originPolicy(config).allowed());
    }
}
