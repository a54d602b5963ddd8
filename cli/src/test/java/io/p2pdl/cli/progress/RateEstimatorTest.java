package io.p2pdl.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateEstimatorTest {

    @Test
    void rateIsUnknownUntilTimePasses() {
        RateEstimator r = new RateEstimator(5_000);
        assertEquals(-1, r.bytesPerSecond());
        r.record(1_000, 0);
        assertEquals(-1, r.bytesPerSecond());
    }

    @Test
    void steadyProgressGivesItsRate() {
        RateEstimator r = new RateEstimator(5_000);
        for (long t = 0; t <= 20_000; t += 250) {
            r.record(t, t * 1_000); // 1 MB per second
        }
        assertEquals(1_000_000, r.bytesPerSecond(), 1);
    }

    @Test
    void rateDecaysToZeroDuringAStall() {
        RateEstimator r = new RateEstimator(5_000);
        for (long t = 0; t <= 10_000; t += 500) {
            r.record(t, t * 1_000);
        }
        double before = r.bytesPerSecond();
        r.record(12_000, 10_000_000);
        double during = r.bytesPerSecond();
        r.record(16_000, 10_000_000);
        assertEquals(1_000_000, before, 1);
        assertEquals(true, during > 0 && during < before);
        assertEquals(0, r.bytesPerSecond());
    }

    @Test
    void restartFromZeroForgetsOldSamples() {
        RateEstimator r = new RateEstimator(5_000);
        r.record(0, 0);
        r.record(1_000, 5_000);
        r.record(2_000, 0);
        assertEquals(-1, r.bytesPerSecond());
        r.record(3_000, 2_000);
        assertEquals(2_000, r.bytesPerSecond(), 0.001);
    }
}
