package org.triplane.segmentation.data;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Estimates where a scan's mid-sagittal plane lies: the LPS x (mm) that halves the head.
 *
 * <p>Input: a windowed uint8 volume (x fastest, LPS geometry) whose anatomy is aligned with the LPS
 * axes, as the preprocess step leaves it. The study window maps air and bone to 0, so the non-zero
 * voxels are soft tissue: scalp, brain and CSF. For every line of voxels running along LPS x the
 * midpoint between the first and the last non-zero voxel is the centre of the head's outline on that
 * line; the estimate is the median of those midpoints over the lines that cross a broad part of the
 * head.
 *
 * <p>Why the outline rather than the brain's intensities: the outline is symmetric in a healthy and
 * a diseased head alike (infarcts, haemorrhage and shifted ventricles change the inside), and the
 * median over thousands of lines ignores stray voxels, the narrow crown and the skull base.
 */
public final class Midline {
    /** Lines narrower than this fraction of the typical wide line are left out (crown, skull base, specks). */
    static final double MIN_WIDTH_FRACTION = 0.5;
    /** The "typical wide line" is this quantile of all line widths. */
    static final double WIDE_QUANTILE = 0.9;

    private Midline() {
    }

    /**
     * The LPS x (mm) of the mid-sagittal plane of {@code windowed}, or empty when it holds no tissue.
     *
     * @param windowed uint8 window bytes 0..254 (0 = outside the window), x fastest, LPS mm
     * @throws IllegalArgumentException when the volume is not uint8 or its direction cosines do not
     *                                  pair array axes with LPS axes
     */
    public static OptionalDouble estimateXMm(Volume windowed) {
        if (!(windowed.voxels() instanceof VoxelBuffer.UInt8 u)) {
            throw new IllegalArgumentException("midline needs a uint8 windowed volume, got " + windowed.type().label());
        }
        Geometry g = windowed.geometry();
        byte[] data = u.data;
        int[] dims = g.dims();
        int[] stride = {1, dims[0], dims[0] * dims[1]};
        int along = LpsAxes.arrayAxisOfLps(g.direction())[0];
        int a = along == 0 ? 1 : 0;
        int b = along == 2 ? 1 : 2;
        double[] m = g.indexToPhysicalMatrix();
        double originX = g.origin()[0];
        double step = g.spacing()[along];
        double[] index = new double[3];

        int lines = dims[a] * dims[b];
        float[] widths = new float[lines];
        double[] centres = new double[lines];
        int found = 0;
        for (int ib = 0; ib < dims[b]; ib++) {
            for (int ia = 0; ia < dims[a]; ia++) {
                int base = ia * stride[a] + ib * stride[b];
                int first = -1;
                int last = -1;
                for (int t = 0, off = base; t < dims[along]; t++, off += stride[along]) {
                    if (data[off] != 0) {
                        if (first < 0) {
                            first = t;
                        }
                        last = t;
                    }
                }
                if (first < 0) {
                    continue;
                }
                double mid = (first + last) / 2.0;
                index[along] = mid;
                index[a] = ia;
                index[b] = ib;
                centres[found] = originX + m[0] * index[0] + m[1] * index[1] + m[2] * index[2];
                widths[found] = (float) ((last - first + 1) * step);
                found++;
            }
        }
        if (found == 0) {
            return OptionalDouble.empty();
        }
        float[] sorted = Arrays.copyOf(widths, found);
        Arrays.sort(sorted);
        double minWidth = MIN_WIDTH_FRACTION * sorted[(int) Math.floor(WIDE_QUANTILE * (found - 1))];
        double[] kept = new double[found];
        int n = 0;
        for (int i = 0; i < found; i++) {
            if (widths[i] >= minWidth) {
                kept[n++] = centres[i];
            }
        }
        return OptionalDouble.of(median(kept, n));
    }

    private static double median(double[] values, int n) {
        double[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
