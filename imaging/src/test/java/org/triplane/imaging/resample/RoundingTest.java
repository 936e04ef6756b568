package org.triplane.imaging.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundingTest {

    /** ITK's {@code Math::RoundHalfIntegerUp} as ITK writes it. */
    private static int itk(double x) {
        return ((int) Math.rint(2 * x + 0.5)) >> 1;
    }

    /** Whole numbers, halves and quarters from −40 to 5000, and the doubles right beside each. */
    private static double[] nearHalves(int k) {
        double[] out = new double[25];
        int n = 0;
        for (double x : new double[] {k, k + 0.5, k - 0.5, k + 0.25, k + 0.75}) {
            out[n++] = x;
            out[n++] = Math.nextUp(x);
            out[n++] = Math.nextDown(x);
            out[n++] = Math.nextUp(Math.nextUp(x));
            out[n++] = Math.nextDown(Math.nextDown(x));
        }
        return out;
    }

    @Test
    void halfEvenIsMathRintAtHalvesAndBesideThem() {
        for (int k = -5000; k <= 5000; k++) {
            for (double x : nearHalves(k)) {
                assertEquals((int) Math.rint(x), Rounding.halfEven(x), "x = " + x);
            }
        }
        assertEquals(0, Rounding.halfEven(-0.0));
        assertEquals(0, Rounding.halfEven(-0.5));
        assertEquals(-2, Rounding.halfEven(-1.5));
    }

    @Test
    void halfEvenIsMathRintAnywhereInItsRange() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n < 2_000_000; n++) {
            double x = random.nextDouble(-(1 << 30), 1 << 30) / (1 << random.nextInt(30));
            assertEquals((int) Math.rint(x), Rounding.halfEven(x), "x = " + x);
        }
    }

    @Test
    void halfIntegerUpIsItksRoundHalfIntegerUpAtHalvesAndBesideThem() {
        for (int k = -40; k <= 5000; k++) {
            for (double x : nearHalves(k)) {
                assertEquals(itk(x), Rounding.halfIntegerUp(x), "x = " + x);
            }
        }
    }

    @Test
    void halfIntegerUpIsItksRoundHalfIntegerUpAnywhereAnIndexCanLie() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < 2_000_000; n++) {
            double x = random.nextDouble(-1, 5000);
            assertEquals(itk(x), Rounding.halfIntegerUp(x), "x = " + x);
        }
        assertEquals(0, Rounding.halfIntegerUp(-0.0));
        assertEquals(0, Rounding.halfIntegerUp(-0.5));
        assertEquals(-1, Rounding.halfIntegerUp(Math.nextDown(-0.5)));
    }
}
