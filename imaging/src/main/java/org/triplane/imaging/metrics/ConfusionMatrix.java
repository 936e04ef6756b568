package org.triplane.imaging.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.triplane.imaging.labels.AspectsRegion;

/**
 * Voxel counts of (true label, predicted label) pairs over labels 0..20: the 21×21 confusion matrix
 * the per-class metrics derive from. Rows are the truth, columns the prediction. Mutable; add
 * volumes or slices, then read.
 */
public final class ConfusionMatrix {
    /** Labels counted: background 0 and the 20 ASPECTS regions. */
    public static final int CLASSES = AspectsRegion.CLASSES_WITH_BACKGROUND;

    private final long[] counts = new long[CLASSES * CLASSES];

    /**
     * Counts every voxel pair; both arrays hold labels 0..20 in the same voxel order.
     *
     * @throws IllegalArgumentException on different lengths or a label outside 0..20
     */
    public ConfusionMatrix add(byte[] truth, byte[] predicted) {
        return add(truth, 0, predicted, 0, truth.length, predicted.length);
    }

    /** Counts {@code length} voxel pairs starting at the given offsets. */
    public ConfusionMatrix add(byte[] truth, int truthOffset, byte[] predicted, int predictedOffset, int length) {
        return add(truth, truthOffset, predicted, predictedOffset, length, length);
    }

    private ConfusionMatrix add(byte[] truth, int to, byte[] predicted, int po, int length, int predictedLength) {
        if (length != predictedLength) {
            throw new IllegalArgumentException("truth has " + length + " voxels, prediction " + predictedLength);
        }
        // why counted apart: most of a scan is background in both, and one counter in the array bumped for
        // voxel after voxel makes each increment wait for the one before
        long background = 0;
        for (int i = 0; i < length; i++) {
            int t = truth[to + i] & 0xff;
            int p = predicted[po + i] & 0xff;
            if ((t | p) == 0) {
                background++;
                continue;
            }
            if (t >= CLASSES || p >= CLASSES) {
                throw new IllegalArgumentException("label " + Math.max(t, p) + " at voxel " + i + " is outside 0..20");
            }
            counts[t * CLASSES + p]++;
        }
        counts[0] += background;
        return this;
    }

    /** Adds another matrix's counts to this one. */
    public ConfusionMatrix add(ConfusionMatrix other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /** Voxels whose true label is {@code truth} and predicted label {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth * CLASSES + predicted];
    }

    /** All voxels counted. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Voxels of {@code label} in both truth and prediction. */
    public long truePositives(int label) {
        return count(label, label);
    }

    /** Voxels predicted {@code label} whose truth is another label. */
    public long falsePositives(int label) {
        long n = 0;
        for (int t = 0; t < CLASSES; t++) {
            n += t == label ? 0 : count(t, label);
        }
        return n;
    }

    /** Voxels of true {@code label} predicted as another label. */
    public long falseNegatives(int label) {
        long n = 0;
        for (int p = 0; p < CLASSES; p++) {
            n += p == label ? 0 : count(label, p);
        }
        return n;
    }

    /** Voxels neither true nor predicted {@code label}. */
    public long trueNegatives(int label) {
        return total() - truePositives(label) - falsePositives(label) - falseNegatives(label);
    }

    /** The counts of {@code label}, from which its metrics derive ({@link ConfusionCounts}). */
    public ConfusionCounts counts(int label) {
        long tp = truePositives(label);
        long fp = falsePositives(label);
        long fn = falseNegatives(label);
        return new ConfusionCounts(tp, fp, fn, total() - tp - fp - fn);
    }

    /** Intersection over union of {@code label}; NaN when it is absent from both truth and prediction. */
    public double iou(int label) {
        return counts(label).iou();
    }

    /** Dice coefficient of {@code label}; NaN when it is absent from both truth and prediction. */
    public double dice(int label) {
        return counts(label).dice();
    }

    /** Mean IoU over the regions 1..20 present in truth or prediction (background left out); NaN if none. */
    public double meanIoU() {
        return meanOverRegions(ConfusionCounts::iou);
    }

    /** Mean Dice over the regions 1..20 present in truth or prediction; NaN if none. */
    public double meanDice() {
        return meanOverRegions(ConfusionCounts::dice);
    }

    private double meanOverRegions(ToDoubleFunction<ConfusionCounts> metric) {
        List<ConfusionCounts> regions = new ArrayList<>(CLASSES - 1);
        for (int label = 1; label < CLASSES; label++) {
            regions.add(counts(label));
        }
        return ConfusionCounts.mean(regions, metric);
    }

    /**
     * Share of region voxels (true label 1..20) predicted as the same region of the other hemisphere:
     * the left/right confusion a network that cannot see the side makes. NaN when the truth has no
     * region voxels.
     */
    public double leftRightConfusionRate() {
        long swapped = 0;
        long regionVoxels = 0;
        for (int label = 1; label < CLASSES; label++) {
            swapped += count(label, AspectsRegion.swapSide(label));
            for (int p = 0; p < CLASSES; p++) {
                regionVoxels += count(label, p);
            }
        }
        return regionVoxels == 0 ? Double.NaN : (double) swapped / regionVoxels;
    }

    /**
     * A matrix holding these counts, {@code [truth][predicted]}: the inverse of {@link #toArray()}, for
     * counts stored elsewhere (a result's evaluation document).
     *
     * @throws IllegalArgumentException unless 21 rows of 21 counts ≥ 0
     */
    public static ConfusionMatrix of(long[][] counts) {
        ConfusionMatrix m = new ConfusionMatrix();
        if (counts == null || counts.length != CLASSES) {
            throw new IllegalArgumentException("a confusion matrix has " + CLASSES + " rows, got "
                    + (counts == null ? "none" : counts.length));
        }
        for (int t = 0; t < CLASSES; t++) {
            if (counts[t] == null || counts[t].length != CLASSES) {
                throw new IllegalArgumentException("confusion matrix row " + t + " needs " + CLASSES + " counts");
            }
            for (int p = 0; p < CLASSES; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("confusion matrix count [" + t + "][" + p + "] is negative: "
                            + counts[t][p]);
                }
                m.counts[t * CLASSES + p] = counts[t][p];
            }
        }
        return m;
    }

    /** A copy of the counts, {@code [truth][predicted]}. */
    public long[][] toArray() {
        long[][] out = new long[CLASSES][CLASSES];
        for (int t = 0; t < CLASSES; t++) {
            System.arraycopy(counts, t * CLASSES, out[t], 0, CLASSES);
        }
        return out;
    }
}
