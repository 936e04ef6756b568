package org.triplane.segmentation.infer;

import org.triplane.imaging.plane.Plane;

/**
 * Per-pixel output of one plane's network, NHW in the layout of the input {@code PlaneSamples}
 * ({@code [(n * height + h) * width + w]}).
 *
 * @param plane      the plane of the slices
 * @param count      slices
 * @param height     rows per slice
 * @param width      columns per slice
 * @param labels     arg-max class per pixel, uint8 0..classes−1
 * @param confidence round(255 × the largest softmax probability), uint8 (read with {@code & 0xff})
 * @param stats      timing and device
 * @param probabilities per class {@code c}, round(255 × its softmax probability) per pixel in the same NHW
 *                   layout ({@code probabilities[c]}), or {@code null} when not asked for
 */
public record PlanePrediction(Plane plane, int count, int height, int width, byte[] labels, byte[] confidence,
                              PredictionStats stats, byte[][] probabilities) {

    public PlanePrediction(Plane plane, int count, int height, int width, byte[] labels, byte[] confidence,
                           PredictionStats stats) {
        this(plane, count, height, width, labels, confidence, stats, null);
    }
}
