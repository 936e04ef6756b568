package org.triplane.db;

import java.util.UUID;

/**
 * A row of {@code class_metrics}: how one class of one prediction agrees with the reference
 * labels. Counts are voxels; ratios are unitless; volumes are millilitres.
 *
 * @param tenantId          owning tenant
 * @param jobId             the job
 * @param scanId            the scan
 * @param modelSetId        the model set evaluated
 * @param plane             which prediction (a plane or FUSED)
 * @param classLabel        class 0..20 (0 background)
 * @param tp                true-positive voxels
 * @param fp                false-positive voxels
 * @param fn                false-negative voxels
 * @param tn                true-negative voxels
 * @param iou               TP / (TP + FP + FN); {@code null} when the class is absent from both
 * @param dice              2TP / (2TP + FP + FN); {@code null} when the class is absent from both
 * @param misclassification (FP + FN) / (TP + TN + FP + FN)
 * @param fpFnRatio         FP / FN; {@code null} when FN = 0
 * @param gtMl              reference volume, millilitres
 * @param predMl            predicted volume, millilitres
 */
public record ClassMetric(
        UUID tenantId,
        UUID jobId,
        UUID scanId,
        UUID modelSetId,
        MetricPlane plane,
        int classLabel,
        long tp,
        long fp,
        long fn,
        long tn,
        Double iou,
        Double dice,
        double misclassification,
        Double fpFnRatio,
        double gtMl,
        double predMl) {

    /** Highest class label (20 ASPECTS regions; 0 is background). */
    public static final int MAX_CLASS = 20;

    /** Validates the label range and counts, naming the field that is wrong. */
    public ClassMetric {
        if (classLabel < 0 || classLabel > MAX_CLASS) {
            throw new IllegalArgumentException("classLabel: must be 0.." + MAX_CLASS + ", got " + classLabel);
        }
        if (tp < 0 || fp < 0 || fn < 0 || tn < 0) {
            throw new IllegalArgumentException("tp, fp, fn, tn: counts must not be negative");
        }
        if (plane == null) {
            throw new IllegalArgumentException("plane: required");
        }
    }

    /**
     * Derives every ratio and volume from the confusion counts, so all writers use the same
     * definitions.
     *
     * @param key           which job, scan, model set, plane and class
     * @param tp            true-positive voxels
     * @param fp            false-positive voxels
     * @param fn            false-negative voxels
     * @param tn            true-negative voxels
     * @param voxelVolumeMl volume of one voxel in millilitres (product of the spacings in mm / 1000)
     * @return the metric row
     */
    public static ClassMetric fromCounts(Key key, long tp, long fp, long fn, long tn, double voxelVolumeMl) {
        long union = tp + fp + fn;
        long total = tp + fp + fn + tn;
        return new ClassMetric(key.tenantId(), key.jobId(), key.scanId(), key.modelSetId(), key.plane(),
                key.classLabel(), tp, fp, fn, tn,
                union == 0 ? null : (double) tp / union,
                union == 0 ? null : 2.0 * tp / (2.0 * tp + fp + fn),
                total == 0 ? 0.0 : (double) (fp + fn) / total,
                fn == 0 ? null : (double) fp / fn,
                (tp + fn) * voxelVolumeMl,
                (tp + fp) * voxelVolumeMl);
    }

    /**
     * Identifies one metric row.
     *
     * @param tenantId   owning tenant
     * @param jobId      the job
     * @param scanId     the scan
     * @param modelSetId the model set
     * @param plane      which prediction
     * @param classLabel class 0..20
     */
    public record Key(UUID tenantId, UUID jobId, UUID scanId, UUID modelSetId, MetricPlane plane, int classLabel) {
    }
}
