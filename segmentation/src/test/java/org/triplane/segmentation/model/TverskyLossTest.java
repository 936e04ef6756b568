package org.triplane.segmentation.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TverskyLossTest {

    /** Plain-Java loss terms from NCHW logits and NHW labels: {tversky, cross-entropy, mse}. */
    private static double[] byHand(float[] logits, byte[] labels, int n, int classes, int pixels, double alpha,
                                   double beta, double eps) {
        double[] tp = new double[classes];
        double[] fp = new double[classes];
        double[] fn = new double[classes];
        double ce = 0;
        double se = 0;
        for (int s = 0; s < n; s++) {
            for (int p = 0; p < pixels; p++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, logits[(s * classes + c) * pixels + p]);
                }
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    z += Math.exp(logits[(s * classes + c) * pixels + p] - max);
                }
                int truth = labels[s * pixels + p];
                for (int c = 0; c < classes; c++) {
                    double prob = Math.exp(logits[(s * classes + c) * pixels + p] - max) / z;
                    double g = c == truth ? 1 : 0;
                    tp[c] += prob * g;
                    fp[c] += prob * (1 - g);
                    fn[c] += (1 - prob) * g;
                    se += (prob - g) * (prob - g);
                    if (c == truth) {
                        ce -= Math.log(prob);
                    }
                }
            }
        }
        double meanT = 0;
        for (int c = 0; c < classes; c++) {
            meanT += (tp[c] + eps) / (tp[c] + alpha * fp[c] + beta * fn[c] + eps) / classes;
        }
        return new double[] {1 - meanT, ce / (n * pixels), se / (n * pixels * classes)};
    }

    private static void check(int n, int classes, int h, int w, double alpha, double beta, double eps, long seed) {
        Random random = new Random(seed);
        int pixels = h * w;
        float[] logits = new float[n * classes * pixels];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (2 * random.nextGaussian());
        }
        byte[] labels = new byte[n * pixels];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(Math.min(classes, 3)); // why: leave most classes absent, as in real batches
        }
        double[] expected = byHand(logits, labels, n, classes, pixels, alpha, beta, eps);
        try (NDManager m = NDManager.newBaseManager()) {
            TverskyLoss loss = new TverskyLoss(alpha, beta, eps, classes);
            TverskyLoss.Terms terms = loss.terms(m.create(labels, new Shape(n, h, w)),
                    m.create(logits, new Shape(n, classes, h, w)));
            assertEquals(expected[0], terms.tversky().getFloat(), 1e-5);
            assertEquals(expected[1], terms.crossEntropy().getFloat(), 1e-5);
            assertEquals(expected[2], terms.meanSquaredError().getFloat(), 1e-6);
            assertEquals(expected[0], loss.evaluate(new NDList(m.create(labels, new Shape(n, h, w))),
                    new NDList(m.create(logits, new Shape(n, classes, h, w)))).getFloat(), 1e-5);
        }
    }

    @Test
    void matchesAHandComputationOnTinyTensors() {
        check(2, 4, 3, 2, 0.85, 0.15, 1.0, 1);
        check(3, 21, 4, 4, 0.8, 0.2, 1e-6, 2);
        check(1, 2, 1, 1, 0.5, 0.5, 1.0, 3);
    }

    @Test
    void perfectPredictionGivesZeroLossWhenAllClassesArePresent() {
        int classes = 3;
        byte[] labels = {0, 1, 2, 1};
        float[] logits = new float[classes * 4];
        for (int p = 0; p < 4; p++) {
            logits[labels[p] * 4 + p] = 50f; // N=1, C=3, H=2, W=2
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TverskyLoss.Terms t = new TverskyLoss(0.7, 0.3, 1e-6, classes)
                    .terms(m.create(labels, new Shape(1, 2, 2)), m.create(logits, new Shape(1, classes, 2, 2)));
            assertEquals(0, t.tversky().getFloat(), 1e-6);
            assertEquals(0, t.crossEntropy().getFloat(), 1e-6);
            assertEquals(0, t.meanSquaredError().getFloat(), 1e-6);
        }
    }

    @Test
    void rejectsMismatchedShapesAndBadWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            TverskyLoss loss = new TverskyLoss(0.85, 0.15, 21);
            assertThrows(IllegalArgumentException.class,
                    () -> loss.terms(m.zeros(new Shape(1, 4, 4)), m.zeros(new Shape(1, 20, 4, 4))));
        }
        assertThrows(IllegalArgumentException.class, () -> new TverskyLoss(0, 0, 21));
        assertThrows(IllegalArgumentException.class, () -> new TverskyLoss(-0.1, 1, 21));
    }
}
