package org.triplane.imaging.metrics;

/**
 * Agreement between a reference segmentation and a prediction for one label (0 background, 1..20
 * ASPECTS regions), counted over every voxel of the grid. The metrics are {@link ConfusionCounts}'s,
 * including which of them do not exist (NaN).
 *
 * @param label                 the label, 0..20
 * @param truePositives         voxels of {@code label} in both
 * @param falsePositives        voxels predicted {@code label} that are another label in the reference
 * @param falseNegatives        voxels of {@code label} in the reference predicted as another label
 * @param trueNegatives         voxels that are {@code label} in neither
 * @param iou                   {@code TP / (TP + FP + FN)}; NaN when the label is in neither volume
 * @param dice                  {@code 2TP / (2TP + FP + FN)}; NaN when the label is in neither volume
 * @param misclassificationRate {@code (FP + FN) / N} with {@code N} all voxels counted (the study's metric);
 *                              NaN when nothing was counted
 * @param fpFnRatio             {@code FP / FN}; the study aimed for 1 (symmetric errors). NaN when
 *                              {@code FN = 0}, with or without false positives
 * @param truthMl               reference volume of the label, {@code (TP + FN) ×} voxel volume, mL
 * @param predictedMl           predicted volume of the label, {@code (TP + FP) ×} voxel volume, mL
 */
public record ClassMetrics(int label, long truePositives, long falsePositives, long falseNegatives, long trueNegatives,
                           double iou, double dice, double misclassificationRate, double fpFnRatio,
                           double truthMl, double predictedMl) {

    /**
     * The metrics of {@code label} from a confusion matrix.
     *
     * @param voxelMl volume of one voxel in mL (product of the grid spacing in mm / 1000)
     * @throws IllegalArgumentException for a label outside 0..20 or a voxel volume that is not positive and finite
     */
    public static ClassMetrics of(ConfusionMatrix matrix, int label, double voxelMl) {
        if (label < 0 || label >= ConfusionMatrix.CLASSES) {
            throw new IllegalArgumentException("label " + label + " is outside 0.." + (ConfusionMatrix.CLASSES - 1));
        }
        ConfusionCounts c = matrix.counts(label);
        return new ClassMetrics(label, c.tp(), c.fp(), c.fn(), c.tn(), c.iou(), c.dice(), c.misclassificationRate(),
                c.fpFnRatio(), c.referenceMl(voxelMl), c.predictedMl(voxelMl));
    }

    /** True when the label occurs in the reference or in the prediction. */
    public boolean present() {
        return truePositives + falsePositives + falseNegatives > 0;
    }
}
