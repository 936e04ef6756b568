package org.triplane.imaging.metrics;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * One label's confusion counts and the per-class metrics derived from them: the one definition of
 * IoU, Dice, misclassification rate, FP/FN ratio and volumes behind every place that shows them
 * (a scan's evaluation, the stored metric rows and what the API, the CSV and the report make of
 * them, the demo's totals over scans).
 *
 * <p>A metric whose denominator is zero does not exist, and is NaN here:
 * <ul>
 * <li>IoU and Dice of a label absent from both reference and prediction ({@code TP + FP + FN = 0}).
 *     Not 1 and not 0: the study's mean IoU runs over the regions present only, so an absent
 *     region must neither lift nor lower it.</li>
 * <li>the FP/FN ratio when {@code FN = 0}, whether {@code FP = 0} (no errors) or not (only
 *     over-segmentation): the ratio weighs one kind of error against the other, and the counts
 *     kept beside it tell the two cases apart. Not +∞: JSON has none, and one such region would
 *     make the mean over regions infinite.</li>
 * <li>the misclassification rate when nothing was counted ({@code N = 0}).</li>
 * </ul>
 * Outside the JVM a metric that does not exist is {@code null}: in a {@code class_metrics} row, in
 * JSON (which has no NaN) and so in result documents and the API's answers; empty in the metrics
 * CSV; "—" wherever a reader sees it, the report and the command line ({@link MetricText}).
 * {@link #orNull(double)} is the conversion to the stored form. A mean of a metric over regions or
 * scans runs over those that have it and does not exist when none has. Volumes always exist.
 *
 * @param tp voxels of the label in both reference and prediction
 * @param fp voxels predicted as the label whose reference is another label
 * @param fn voxels of the label in the reference predicted as another label
 * @param tn voxels that are the label in neither
 */
public record ConfusionCounts(long tp, long fp, long fn, long tn) {

    /** @throws IllegalArgumentException for a negative count */
    public ConfusionCounts {
        if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
            throw new IllegalArgumentException("tp, fp, fn, tn: counts must not be negative, got " + tp + ", " + fp + ", "
                    + fn + ", " + tn);
        }
    }

    /** All voxels counted, {@code N = TP + FP + FN + TN}. */
    public long total() {
        return tp + fp + fn + tn;
    }

    /** True when the label occurs in the reference or in the prediction. */
    public boolean present() {
        return tp + fp + fn > 0;
    }

    /** {@code TP / (TP + FP + FN)}; NaN when the label is in neither reference nor prediction. */
    public double iou() {
        return ratio(tp, tp + fp + fn);
    }

    /** {@code 2TP / (2TP + FP + FN)}; NaN when the label is in neither reference nor prediction. */
    public double dice() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /** {@code (FP + FN) / N}, the study's misclassification rate; NaN when nothing was counted. */
    public double misclassificationRate() {
        return ratio(fp + fn, total());
    }

    /** {@code FP / FN}; the study aimed for 1 (symmetric errors). NaN when {@code FN = 0}. */
    public double fpFnRatio() {
        return ratio(fp, fn);
    }

    /**
     * @param voxelMl volume of one voxel, mL
     * @return the label's volume in the reference, {@code (TP + FN) ×} voxel volume, mL
     */
    public double referenceMl(double voxelMl) {
        return (tp + fn) * requireVoxelVolume(voxelMl);
    }

    /**
     * @param voxelMl volume of one voxel, mL
     * @return the label's volume in the prediction, {@code (TP + FP) ×} voxel volume, mL
     */
    public double predictedMl(double voxelMl) {
        return (tp + fp) * requireVoxelVolume(voxelMl);
    }

    /**
     * The mean of a metric over labels, taken over those that have it: a label whose metric does not
     * exist (NaN) neither lifts nor lowers it. The study's mean IoU over regions is
     * {@code mean(regions, ConfusionCounts::iou)}.
     *
     * @param labels each label's counts
     * @param metric which metric
     * @return the mean; NaN when no label has the metric
     */
    public static double mean(Collection<ConfusionCounts> labels, ToDoubleFunction<ConfusionCounts> metric) {
        double sum = 0;
        int n = 0;
        for (ConfusionCounts c : labels) {
            double v = metric.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** A metric as stored and sent: {@code null} where it does not exist (NaN), else the value. */
    public static Double orNull(double metric) {
        return Double.isNaN(metric) ? null : metric;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static double requireVoxelVolume(double voxelMl) {
        if (!(voxelMl > 0) || !Double.isFinite(voxelMl)) {
            throw new IllegalArgumentException("voxel volume must be positive and finite, got " + voxelMl + " mL");
        }
        return voxelMl;
    }
}
