package org.triplane.imaging.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.Geometry;

/**
 * The deformable stage's objective on a smooth template with enough samples for several chunks,
 * each chunk moving its own slab of the control grid: the gradient against central differences of
 * the value, and the same numbers whatever the thread count.
 */
class WarpMetricTest {
    /** Template: 1 mm voxels over 0..79 mm per axis (LPS), a smooth blob pattern. */
    private static final int N = 80;
    /** More than four of the metric's chunks of 8 192 samples. */
    private static final int SAMPLES = 40_000;

    @Test
    void theGradientIsTheDerivativeOfTheValueAtEveryKindOfNode() {
        Setup s = new Setup();
        WarpMetric metric = s.metric(2);
        double[] d = s.displacement(0.8, 3);

        Objective.Value at = metric.evaluate(d);
        assertTrue(at.value() > 0.3 && at.value() < 1, "NCC of the shifted copy: " + at.value());
        Random pick = new Random(11);
        double h = 1e-4;
        int checked = 0;
        for (int t = 0; t < 60; t++) {
            int v = pick.nextInt(d.length);
            double[] plus = d.clone();
            double[] minus = d.clone();
            plus[v] += h;
            minus[v] -= h;
            double numeric = (metric.evaluate(plus).value() - metric.evaluate(minus).value()) / (2 * h);
            assertEquals(numeric, at.gradient()[v], 1e-6 + 1e-3 * Math.abs(numeric), "node value " + v);
            if (Math.abs(numeric) > 1e-5) {
                checked++;
            }
        }
        assertTrue(checked > 10, "too few node values the samples move were checked: " + checked);
    }

    @Test
    void oneThreadAndTwoGiveTheSameValueAndGradientToTheBit() {
        Setup s = new Setup();
        double[] d = s.displacement(1.5, 5);

        Objective.Value one = s.metric(1).evaluate(d);
        Objective.Value two = s.metric(2).evaluate(d);

        assertEquals(one.value(), two.value());
        assertArrayEquals(one.gradient(), two.gradient());
    }

    /** A blob template, and samples of it read 1.5 mm off along x at random points of its middle. */
    private static final class Setup {
        final FloatGrid template;
        final float[] points = new float[3 * SAMPLES];
        final float[] values = new float[SAMPLES];
        final DisplacementField grid;

        Setup() {
            Geometry g = Geometry.axisAligned(N, N, N, new double[] {1, 1, 1}, new double[] {0, 0, 0});
            float[] t = new float[N * N * N];
            for (int k = 0, i = 0; k < N; k++) {
                for (int y = 0; y < N; y++) {
                    for (int x = 0; x < N; x++, i++) {
                        t[i] = (float) blobs(x, y, k);
                    }
                }
            }
            template = new FloatGrid(g, t);
            Random r = new Random(7);
            // why sorted along z: like a scan's samples, consecutive ones lie close together
            double[] z = new double[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                z[i] = 15 + 50 * r.nextDouble();
            }
            java.util.Arrays.sort(z);
            for (int i = 0; i < SAMPLES; i++) {
                double x = 15 + 50 * r.nextDouble();
                double y = 15 + 50 * r.nextDouble();
                points[3 * i] = (float) x;
                points[3 * i + 1] = (float) y;
                points[3 * i + 2] = (float) z[i];
                values[i] = (float) blobs(x + 1.5, y, z[i]);
            }
            grid = DisplacementField.zero(new double[] {5, 5, 5}, new double[] {75, 75, 75}, 10);
        }

        WarpMetric metric(int threads) {
            return new WarpMetric(new WarpProblem(points, values, grid, template.geometry(), template.values(), 0f, 0.02, 0.01),
                    threads);
        }

        /** A smooth field of about {@code mm} along x with a ripple, seeded. */
        double[] displacement(double mm, long seed) {
            double[] d = grid.values();
            Random r = new Random(seed);
            for (int i = 0; i < d.length; i++) {
                d[i] = (i % 3 == 0 ? mm : 0) + 0.3 * r.nextGaussian();
            }
            return d;
        }

        private static double blobs(double x, double y, double z) {
            return 100 * Math.sin(x / 6.0) * Math.cos(y / 7.0) + 60 * Math.sin((x + z) / 9.0) + 40 * Math.cos(z / 5.0);
        }
    }
}
