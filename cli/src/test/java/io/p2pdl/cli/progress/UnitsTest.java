package io.p2pdl.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void bytesUseBinaryUnits() {
        assertEquals("0 B", Units.bytes(0));
        assertEquals("1023 B", Units.bytes(1023));
        assertEquals("1.5 KiB", Units.bytes(1536));
        assertEquals("2.0 GiB", Units.bytes(2L << 30));
    }

    @Test
    void durationsAreShortAndReadable() {
        assertEquals("0.4s", Units.duration(400));
        assertEquals("42s", Units.duration(42_900));
        assertEquals("1m05s", Units.wholeDuration(65));
        assertEquals("2h03m", Units.wholeDuration(2 * 3600 + 3 * 60 + 59));
    }

    @Test
    void unknownRateIsDashes() {
        assertEquals("--", Units.rate(-1));
        assertEquals("0 B/s", Units.rate(0));
    }
}
