package org.triplane.imaging.metrics;

/**
 * Agreement between a reference segmentation and a prediction for one label (0 background, 1..20
 * ASPECTS regions), counted over every voxel of the grid.
 *
 * @param label                 the label, 0..20
 * @param truePositives         voxels of {@code label} in both
 * @param falsePositives        voxels predicted {@code label} that are another label in the reference
 * @param falseNegatives        voxels of {@code label} in the reference predicted as another label
 * @param trueNegatives         voxels that are {@code label} in neither
 * @param iou                   {@code TP / (TP + FP + FN)}; NaN when the label is in neither volume
 * @param dice                  {@code 2TP / (2TP + FP + FN)}; NaN when the label is in neither volume
 * @param misclassificationRate {@code (FP + FN) / N} with {@code N} all voxels counted (the study's metric)
 * @param fpFnRatio             {@code FP / FN}; the study aimed for 1 (symmetric errors). When
 *                              {@code FN = 0} it is {@code +∞} if {@code FP > 0} (only over-segmentation)
 *                              and NaN if {@code FP = 0} too (no errors, no ratio)
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
        if (!(voxelMl > 0) || !Double.isFinite(voxelMl)) {
            throw new IllegalArgumentException("voxel volume must be positive and finite, got " + voxelMl + " mL");
        }
        long tp = matrix.truePositives(label);
        long fp = matrix.falsePositives(label);
        long fn = matrix.falseNegatives(label);
        long tn = matrix.trueNegatives(label);
        long n = tp + fp + fn + tn;
        double ratio = fn > 0 ? (double) fp / fn : (fp > 0 ? Double.POSITIVE_INFINITY : Double.NaN);
        return new ClassMetrics(label, tp, fp, fn, tn, matrix.iou(label), matrix.dice(label),
                n == 0 ? Double.NaN : (double) (fp + fn) / n, ratio, (tp + fn) * voxelMl, (tp + fp) * voxelMl);
    }

    /** True when the label occurs in the reference or in the prediction. */
    public boolean present() {
        return truePositives + falsePositives + falseNegatives > 0;
    }
}
