package org.triplane.imaging.metrics;

import java.util.ArrayList;
import java.util.List;
import org.triplane.imaging.volume.Geometry;

/**
 * The study's evaluation of one predicted segmentation against its reference: per-label metrics
 * and their means. Means run over the ASPECTS regions 1..20 only (background, most of the volume,
 * would swamp them) and only over regions present in the reference or the prediction, as
 * {@link ConfusionMatrix#meanIoU()} does; a region absent from both has no IoU, Dice or ratio
 * ({@link ConfusionCounts} says which metrics exist).
 *
 * @param classes                   metrics of labels 0..20, index = label
 * @param meanIoU                   the study's overall IoU: mean IoU over the regions present; NaN if none
 * @param meanDice                  mean Dice over the regions present; NaN if none
 * @param meanMisclassificationRate mean {@code (FP + FN) / N} over the regions present; NaN if none
 * @param meanFpFnRatio             mean FP/FN ratio over the regions that have one (FN &gt; 0); NaN if none
 * @param fpFnRatioVariance         population variance (divide by n, as numpy's default) of those
 *                                  ratios; NaN if none
 * @param finiteRatioRegions        how many regions the ratio mean and variance cover (those with FN &gt; 0)
 * @param leftRightConfusionRate    share of reference region voxels predicted as the same region of
 *                                  the other hemisphere ({@link ConfusionMatrix#leftRightConfusionRate()})
 * @param voxels                    voxels counted
 * @param voxelMl                   volume of one voxel, mL
 */
public record EvaluationSummary(List<ClassMetrics> classes, double meanIoU, double meanDice,
                                double meanMisclassificationRate, double meanFpFnRatio, double fpFnRatioVariance,
                                int finiteRatioRegions, double leftRightConfusionRate, long voxels, double voxelMl) {

    public EvaluationSummary {
        classes = List.copyOf(classes);
    }

    /** Volume of one voxel of {@code grid} in mL. */
    public static double voxelMl(Geometry grid) {
        double[] s = grid.spacing();
        return s[0] * s[1] * s[2] / 1000.0;
    }

    /** The summary of a filled confusion matrix on a grid whose voxels hold {@code voxelMl} mL each. */
    public static EvaluationSummary of(ConfusionMatrix matrix, double voxelMl) {
        List<ClassMetrics> classes = new ArrayList<>(ConfusionMatrix.CLASSES);
        for (int label = 0; label < ConfusionMatrix.CLASSES; label++) {
            classes.add(ClassMetrics.of(matrix, label, voxelMl));
        }
        double misclassification = 0;
        int present = 0;
        double ratioSum = 0;
        int finite = 0;
        for (ClassMetrics c : classes.subList(1, classes.size())) {
            if (c.present()) {
                misclassification += c.misclassificationRate();
                present++;
            }
            if (!Double.isNaN(c.fpFnRatio())) {
                ratioSum += c.fpFnRatio();
                finite++;
            }
        }
        double ratioMean = finite == 0 ? Double.NaN : ratioSum / finite;
        double squares = 0;
        for (ClassMetrics c : classes.subList(1, classes.size())) {
            if (!Double.isNaN(c.fpFnRatio())) {
                double d = c.fpFnRatio() - ratioMean;
                squares += d * d;
            }
        }
        return new EvaluationSummary(classes, matrix.meanIoU(), matrix.meanDice(),
                present == 0 ? Double.NaN : misclassification / present, ratioMean,
                finite == 0 ? Double.NaN : squares / finite, finite, matrix.leftRightConfusionRate(),
                matrix.total(), voxelMl);
    }

    /** Metrics of one label 0..20. */
    public ClassMetrics label(int label) {
        return classes.get(label);
    }
}
