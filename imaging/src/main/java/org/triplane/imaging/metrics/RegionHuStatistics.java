package org.triplane.imaging.metrics;

import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Per-label statistics of a CT inside a label map on the same grid: voxel count, volume (mL), mean
 * and median HU. Medians come from a 1-HU histogram over −1024..3071 (the CT range), so they are
 * exact for integer HU and within 1 HU for interpolated values.
 *
 * @param counts  voxels per label 0..20
 * @param volumes volume per label in mL
 * @param means   mean HU per label (NaN where the label is absent)
 * @param medians median HU per label (NaN where the label is absent)
 */
public record RegionHuStatistics(long[] counts, double[] volumes, double[] means, double[] medians) {
    private static final int LOW = -1024;
    private static final int HIGH = 3071;

    /**
     * @param ct     CT in HU (any voxel type), LPS grid
     * @param labels integer labels 0..20 on the same grid
     */
    public static RegionHuStatistics of(Volume ct, Volume labels) {
        if (!ct.geometry().sameGrid(labels.geometry(), 1e-4)) {
            throw new IllegalArgumentException("label grid " + labels.geometry() + " differs from the CT grid " + ct.geometry());
        }
        int classes = AspectsRegion.CLASSES_WITH_BACKGROUND;
        long[] counts = new long[classes];
        double[] sums = new double[classes];
        long[][] histogram = new long[classes][HIGH - LOW + 1];
        if (ct.voxels() instanceof VoxelBuffer.Int16 hu && labels.voxels() instanceof VoxelBuffer.UInt8 bytes) {
            countIntegers(hu.data, bytes.data, counts, sums, histogram);
        } else {
            count(ct, labels, counts, sums, histogram);
        }
        double[] sp = ct.geometry().spacing();
        double voxelMl = sp[0] * sp[1] * sp[2] / 1000.0;
        double[] volumes = new double[classes];
        double[] means = new double[classes];
        double[] medians = new double[classes];
        for (int l = 0; l < classes; l++) {
            volumes[l] = counts[l] * voxelMl;
            means[l] = counts[l] == 0 ? Double.NaN : sums[l] / counts[l];
            medians[l] = counts[l] == 0 ? Double.NaN : median(histogram[l], counts[l]);
        }
        return new RegionHuStatistics(counts, volumes, means, medians);
    }

    /** Per label: its voxels, the sum of their HU, and their HU in 1-HU bins over the CT range. */
    private static void count(Volume ct, Volume labels, long[] counts, double[] sums, long[][] histogram) {
        int classes = counts.length;
        for (int i = 0, n = ct.voxels().length(); i < n; i++) {
            int label = (int) labels.voxels().get(i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " at voxel " + i + " is outside 0..20");
            }
            double hu = ct.voxels().get(i);
            counts[label]++;
            sums[label] += hu;
            int bin = (int) Math.max(LOW, Math.min(HIGH, Math.floor(hu + 0.5)));
            histogram[label][bin - LOW]++;
        }
    }

    /**
     * {@link #count} for the usual case, an int16 CT and uint8 labels, with the same results: each HU is
     * its own bin (clamped to the CT range), and the sums of whole numbers, exact in a {@code long}, are
     * those a {@code double} adding them one by one reaches (every partial sum stays far below 2^53). why:
     * the voxels are read from their arrays, not through two calls per voxel that widen them to doubles.
     */
    private static void countIntegers(short[] hu, byte[] labels, long[] counts, double[] sums, long[][] histogram) {
        int classes = counts.length;
        int width = HIGH - LOW + 1;
        long[] totals = new long[classes];
        long[] bins = new long[classes * width];
        for (int i = 0; i < hu.length; i++) {
            int label = labels[i] & 0xFF;
            if (label >= classes) {
                throw new IllegalArgumentException("label " + label + " at voxel " + i + " is outside 0..20");
            }
            int value = hu[i];
            counts[label]++;
            totals[label] += value;
            bins[label * width + (value < LOW ? 0 : value > HIGH ? width - 1 : value - LOW)]++;
        }
        for (int l = 0; l < classes; l++) {
            sums[l] = totals[l];
            System.arraycopy(bins, l * width, histogram[l], 0, width);
        }
    }

    private static double median(long[] histogram, long count) {
        long half = (count + 1) / 2;
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= half) {
                return b + LOW;
            }
        }
        return HIGH;
    }

    /** Voxels with any label 1..20. */
    public long labelledVoxels() {
        long n = 0;
        for (int l = 1; l < counts.length; l++) {
            n += counts[l];
        }
        return n;
    }
}
