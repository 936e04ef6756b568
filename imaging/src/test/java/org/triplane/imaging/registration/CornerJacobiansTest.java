package org.triplane.imaging.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CornerJacobiansTest {
    private static final double H = 10;
    private static final int[] DIMS = {3, 3, 3};

    @Test
    void noDisplacementHasDeterminantOneAndNoPenalty() {
        DisplacementField zero = DisplacementField.zero(new double[] {0, 0, 0}, new double[] {20, 20, 20}, H);

        assertEquals(1.0, zero.leastJacobian());
        double[] gradient = new double[zero.values().length];
        assertEquals(0.0, CornerJacobians.penalise(zero.values(), zero.dims(), H, 0.25, 1, gradient));
        for (double g : gradient) {
            assertEquals(0.0, g);
        }
    }

    @Test
    void aUniformShrinkToHalfHasDeterminantOneEighthEverywhere() {
        // d(x) = −x/2: x + d(x) = x/2, so det J = 0.5³
        double[] v = new double[3 * 27];
        for (int k = 0, n = 0; k < 3; k++) {
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 3; i++, n++) {
                    v[3 * n] = -0.5 * H * i;
                    v[3 * n + 1] = -0.5 * H * j;
                    v[3 * n + 2] = -0.5 * H * k;
                }
            }
        }
        DisplacementField f = new DisplacementField(new double[] {0, 0, 0}, H, DIMS, v);

        assertEquals(0.125, f.leastJacobian(), 1e-12);
        // 8 cells × 8 corners, each short of 0.25 by 0.125: 64 · 0.125² = 1
        assertEquals(1.0, CornerJacobians.penalise(v, DIMS, H, 0.25, 1, new double[v.length]), 1e-12);
    }

    @Test
    void aNodePushedPastItsNeighbourIsAFold() {
        // the nodes at x index 1 move 15 mm toward −x: past the nodes at x index 0, 10 mm away
        double[] v = new double[3 * 27];
        for (int n = 1; n < 27; n += 3) {
            v[3 * n] = -15;
        }
        DisplacementField f = new DisplacementField(new double[] {0, 0, 0}, H, DIMS, v);

        // in the cells between x index 0 and 1: ∂dx/∂x = −15/10, det = 1 − 1.5
        assertEquals(-0.5, f.leastJacobian(), 1e-12);
    }

    @Test
    void theGradientIsThePenaltysDerivative() {
        Random random = new Random(7);
        double[] v = new double[3 * 27];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextDouble() - 0.5) * 14;
        }
        assertTrue(new DisplacementField(new double[] {0, 0, 0}, H, DIMS, v).leastJacobian() < 0.25,
                "some corners fold or come near it, so the penalty is active");
        double[] gradient = new double[v.length];
        CornerJacobians.penalise(v, DIMS, H, 0.25, 2, gradient);

        double step = 1e-6;
        for (int i = 0; i < v.length; i++) {
            double[] up = v.clone();
            double[] down = v.clone();
            up[i] += step;
            down[i] -= step;
            double numeric = (CornerJacobians.penalise(up, DIMS, H, 0.25, 2, new double[v.length])
                    - CornerJacobians.penalise(down, DIMS, H, 0.25, 2, new double[v.length])) / (2 * step);
            // the objective subtracts the penalty, so its gradient is minus the penalty's derivative
            assertEquals(-numeric, gradient[i], 1e-5 * Math.max(1, Math.abs(numeric)), "value " + i);
        }
    }
}
