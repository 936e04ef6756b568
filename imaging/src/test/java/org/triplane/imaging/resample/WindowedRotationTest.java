package org.triplane.imaging.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The branch-free row windowing gives the bytes of the study's rule, value by value. */
class WindowedRotationTest {
    /** Window ends, half-byte boundaries, far outside values, and a float rounding case. */
    private static final double[] VALUES = {
        -1024, -124.5, -124.0000001, -124, -123.5, -123.49, 0, 5.5, 6.5, 129.5, 129.49999, 130, 130.0000001,
        130.5, 131, 3071, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.1f - 0.1,
    };

    /** The rule written out: [low, high] → floor(v − low + 0.5) of the float value, above → top or 0, else 0. */
    private static int expected(double low, double high, boolean clampHigh, double value) {
        double hu = (float) value;
        if (hu >= low && hu <= high) {
            return (int) Math.floor(hu - low + 0.5);
        }
        return hu > high && clampHigh ? (int) Math.floor(high - low + 0.5) : 0;
    }

    @Test
    void rowBytesFollowTheWindowRuleForBothKindsOfWindow() {
        for (Window w : new Window[] {Window.STUDY, new Window(-124, 130, true), new Window(0.25, 80.75, true)}) {
            byte[] dst = new byte[VALUES.length + 3];
            WindowedRotation.toBytes(w, VALUES, VALUES.length, dst, 3);
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(expected(w.low(), w.high(), w.clampHigh(), VALUES[i]), dst[3 + i] & 0xFF,
                        w + " at " + VALUES[i]);
                assertEquals(w.toByte((float) VALUES[i]), dst[3 + i] & 0xFF, w + " against toByte at " + VALUES[i]);
            }
        }
    }
}
