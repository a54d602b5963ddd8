package io.p2pdl.fetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @Test
    void parsesSatisfiedRange() {
        assertEquals(Optional.of(new ContentRange(0, 0, 1234)), ContentRange.parse("bytes 0-0/1234"));
        assertEquals(1, ContentRange.parse("bytes 0-0/1234").orElseThrow().length());
    }

    @Test
    void unknownCompleteLengthIsMinusOne() {
        assertEquals(Optional.of(new ContentRange(0, 9, -1)), ContentRange.parse("bytes 0-9/*"));
    }

    @Test
    void largeOffsetsBeyond4GiB() {
        ContentRange r = ContentRange.parse("bytes 5368709120-5369757695/10737418240").orElseThrow();
        assertEquals(1 << 20, r.length());
        assertEquals("bytes 5368709120-5369757695/10737418240", r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes 9-0/10", "bytes 0-10/10", "items 0-1/2", "bytes -1-2/3",
        "bytes 0-1/2 junk", "bytes */10", "bytes 0-99999999999999999999/5", "bytes=0-1/2"})
    void malformedIsEmpty(String value) {
        assertTrue(ContentRange.parse(value).isEmpty(), value);
    }

    @Test
    void nullIsEmpty() {
        assertTrue(ContentRange.parse(null).isEmpty());
    }

    @Test
    void unsatisfiedRangeGivesCompleteLength() {
        assertEquals(OptionalLong.of(10), ContentRange.parseUnsatisfiedLength("bytes */10"));
        assertTrue(ContentRange.parseUnsatisfiedLength("bytes 0-1/10").isEmpty());
    }
}
