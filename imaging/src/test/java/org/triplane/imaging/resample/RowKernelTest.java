package org.triplane.imaging.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RowKernelTest {

    /** ITK's {@code Math::RoundHalfIntegerUp} as ITK writes it. */
    private static int itk(double x) {
        return ((int) Math.rint(2 * x + 0.5)) >> 1;
    }

    @Test
    void roundHalfUpIsItksRoundHalfIntegerUpAtHalvesAndBesideThem() {
        for (int k = -40; k <= 5000; k++) {
            for (double x : new double[] {k, k + 0.5, k - 0.5, k + 0.25, k + 0.75}) {
                for (double y : new double[] {x, Math.nextUp(x), Math.nextDown(x), Math.nextUp(Math.nextUp(x)),
                    Math.nextDown(Math.nextDown(x))}) {
                    assertEquals(itk(y), RowKernel.roundHalfUp(y), "x = " + y);
                }
            }
        }
    }

    @Test
    void roundHalfUpIsItksRoundHalfIntegerUpAnywhereAnIndexCanLie() {
        SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < 2_000_000; n++) {
            double x = random.nextDouble(-1, 5000);
            assertEquals(itk(x), RowKernel.roundHalfUp(x), "x = " + x);
        }
        assertEquals(0, RowKernel.roundHalfUp(-0.0));
        assertEquals(0, RowKernel.roundHalfUp(-0.5));
        assertEquals(-1, RowKernel.roundHalfUp(Math.nextDown(-0.5)));
    }
}
