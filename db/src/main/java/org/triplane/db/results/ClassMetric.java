package org.triplane.db.results;

import java.util.UUID;
import org.triplane.imaging.metrics.ConfusionCounts;

/**
 * A row of {@code class_metrics}: how one class of one prediction agrees with the reference
 * labels. Counts are voxels; ratios are unitless; volumes are millilitres. The metrics are
 * {@link ConfusionCounts}'s; one that does not exist is {@code null} (SQL {@code NULL}).
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
 * @param misclassification (FP + FN) / (TP + TN + FP + FN); {@code null} when nothing was counted
 * @param fpFnRatio         FP / FN; {@code null} when FN = 0, with or without false positives
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
        Double misclassification,
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
     * Derives every ratio and volume from the confusion counts by {@link ConfusionCounts}, so every
     * writer stores the same definitions and the same missing values.
     *
     * @param key           which job, scan, model set, plane and class
     * @param tp            true-positive voxels
     * @param fp            false-positive voxels
     * @param fn            false-negative voxels
     * @param tn            true-negative voxels
     * @param voxelVolumeMl volume of one voxel in millilitres (product of the spacings in mm / 1000)
     * @return the metric row
     * @throws IllegalArgumentException for a negative count or a voxel volume that is not positive and finite
     */
    public static ClassMetric fromCounts(Key key, long tp, long fp, long fn, long tn, double voxelVolumeMl) {
        ConfusionCounts c = new ConfusionCounts(tp, fp, fn, tn);
        return new ClassMetric(key.tenantId(), key.jobId(), key.scanId(), key.modelSetId(), key.plane(),
                key.classLabel(), tp, fp, fn, tn,
                ConfusionCounts.orNull(c.iou()),
                ConfusionCounts.orNull(c.dice()),
                ConfusionCounts.orNull(c.misclassificationRate()),
                ConfusionCounts.orNull(c.fpFnRatio()),
                c.referenceMl(voxelVolumeMl),
                c.predictedMl(voxelVolumeMl));
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
