package org.triplane.imaging.registration;

import org.triplane.imaging.volume.Geometry;

/**
 * An image minus its local mean: the mean over a box of {@code ± radius} mm per axis, applied
 * twice (close to a Gaussian of σ ≈ 0.8·radius), over the voxels the grid has (the box is cut at
 * the grid's ends and the mean taken over what is left). Same grid and axis order as the input (x
 * fastest, LPS mm); values in the input's units.
 *
 * <p>// why: the deformable stage chases NCC gains of 10⁻³; a smooth intensity trend across the
 * head (beam hardening, a calibration drift, the bias of a scanner) correlates with moving tissue
 * sideways, and a whole-image NCC follows it by millimetres. Without the local mean only edges and
 * small structures are compared, which is what the warp should line up.
 */
final class HighPass {
    private static final int PASSES = 2;

    private HighPass() {
    }

    /** {@code image − localMean(image)}; {@code radiusMm} ≤ 0 returns the image itself. */
    static FloatGrid of(FloatGrid image, double radiusMm) {
        if (!(radiusMm > 0)) {
            return image;
        }
        Geometry g = image.geometry();
        int[] n = g.dims();
        float[] mean = image.values().clone();
        for (int pass = 0; pass < PASSES; pass++) {
            for (int axis = 0; axis < 3; axis++) {
                int radius = Math.max(1, (int) Math.round(radiusMm / g.spacing()[axis]));
                mean = boxAlong(mean, n, axis, radius);
            }
        }
        float[] v = image.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] - mean[i];
        }
        return new FloatGrid(g, out);
    }

    /** Mean over {@code ± radius} voxels along {@code axis}, cut at the grid's ends. */
    private static float[] boxAlong(float[] in, int[] n, int axis, int radius) {
        int[] strides = {1, n[0], n[0] * n[1]};
        int stride = strides[axis];
        int length = n[axis];
        // the lines along the axis start where its coordinate is 0: the other two axes span them
        int a = axis == 0 ? 1 : 0;
        int b = axis == 2 ? 1 : 2;
        float[] out = new float[in.length];
        double[] prefix = new double[length + 1];
        for (int u = 0; u < n[b]; u++) {
            for (int v = 0; v < n[a]; v++) {
                int start = v * strides[a] + u * strides[b];
                for (int t = 0; t < length; t++) {
                    prefix[t + 1] = prefix[t] + in[start + t * stride];
                }
                for (int t = 0; t < length; t++) {
                    int lo = Math.max(0, t - radius);
                    int hi = Math.min(length - 1, t + radius);
                    out[start + t * stride] = (float) ((prefix[hi + 1] - prefix[lo]) / (hi - lo + 1));
                }
            }
        }
        return out;
    }
}
