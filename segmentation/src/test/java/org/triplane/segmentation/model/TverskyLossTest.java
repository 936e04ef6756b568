package org.triplane.segmentation.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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

    /**
     * Why background became a region: with the Tversky loss alone, background pixels predicted
     * confidently as a region absent from the batch are hardly pulled back (background's ratio stays
     * near 1 over thousands of pixels and the absent region's is saturated at 0), while the
     * pixel-wise cross-entropy term pulls each of them back with a gradient 10^4 times larger.
     */
    @Test
    void backgroundPredictedAsAnAbsentRegionIsPulledBackOnlyWithTheCrossEntropyTerm() {
        int side = 64;
        int pixels = side * side;
        int classes = 21;
        byte[] labels = new byte[pixels];
        float[] logits = new float[classes * pixels];
        for (int p = 0; p < pixels; p++) {
            int row = p / side;
            int column = p % side;
            boolean region = row >= 24 && row < 40 && column >= 24 && column < 40;
            labels[p] = (byte) (region ? 6 : 0);
            // the top half of the background is predicted as right caudate (11), confidently
            int predicted = region ? 6 : row < side / 2 ? 11 : 0;
            logits[predicted * pixels + p] = 8;
        }
        int wrongPixel = 3 * side + 5; // background, predicted as 11
        TverskyLoss loss = new TverskyLoss(0.85, 0.15, classes);
        double tverskyPull = backgroundGradient(loss, labels, logits, 0.0, wrongPixel, classes, pixels, side);
        double objectivePull = backgroundGradient(loss, labels, logits, 1.0, wrongPixel, classes, pixels, side);
        assertTrue(tverskyPull < 0 && -tverskyPull < 1e-7, "Tversky alone: d loss / d background logit " + tverskyPull);
        assertTrue(objectivePull < 1e4 * tverskyPull, "with cross-entropy: d loss / d background logit " + objectivePull
                + ", Tversky alone " + tverskyPull);
    }

    /** d objective / d (background logit at {@code pixel}): negative means training raises background there. */
    private static double backgroundGradient(TverskyLoss loss, byte[] labels, float[] logits, double crossEntropyWeight,
                                             int pixel, int classes, int pixels, int side) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(logits, new Shape(1, classes, side, side));
            x.setRequiresGradient(true);
            NDArray y = manager.create(labels, new Shape(1, side, side));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.terms(y, x).objective(crossEntropyWeight));
            }
            return x.getGradient().toFloatArray()[pixel];
        }
    }
}
