package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void deltaSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse(" 120 ", NOW));
    }

    @Test
    void httpDateIsRelativeToNow() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Wed, 25 Nov 2026 10:01:30 GMT", NOW));
    }

    @Test
    void dateInThePastIsZero() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Wed, 25 Nov 2026 09:00:00 GMT", NOW));
    }

    @Test
    void garbageIsEmpty() {
        assertTrue(RetryAfter.parse("soon", NOW).isEmpty());
        assertTrue(RetryAfter.parse("-5", NOW).isEmpty());
        assertTrue(RetryAfter.parse(null, NOW).isEmpty());
        assertTrue(RetryAfter.parse("", NOW).isEmpty());
    }
}
