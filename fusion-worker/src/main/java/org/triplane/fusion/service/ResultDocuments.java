package org.triplane.fusion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.UUID;
import org.triplane.events.ResultKeys;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.RegionStatisticsDocument;

/**
 * The JSON documents a result row holds. Numbers keep their units in their names (ml, HU); a value
 * that does not exist (the mean HU of an absent region, an undefined ratio) is {@code null}, never NaN.
 */
final class ResultDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultDocuments() {
    }

    /**
     * The keys of every object of the scan's result beside the fused labels, as {@link ResultKeys}:
     * {@code {"axial": {"labels": key, "confidence": key, "labels.itksnap.txt": key, "labels.ctbl": key}, ...,
     * "atlas": {"labels": key, "labels-acquired": key, ...}, "segmentation.itksnap.txt": key, ...}}.
     */
    static String planeKeys(UUID tenantId, UUID jobId, UUID scanId) {
        return write(ResultKeys.of(tenantId, jobId, scanId).toMap(), "plane keys");
    }

    /**
     * Region statistics on the acquired grid, as {@link RegionStatisticsDocument}: {@code regions}
     * (label, name, voxels, volumeMl, meanHu, medianHu) for labels 1..20, {@code pairs} (left against
     * right: differenceHu = left − right, ratio = smaller/larger mean, flagged, reason) and the names
     * of the flagged pairs.
     */
    static String regionStatistics(RegionStatistics stats, double voxelMl) {
        return write(RegionStatisticsDocument.of(stats, voxelMl), "region statistics");
    }

    /**
     * The evaluation against the reference labels, per prediction ({@code fused}, {@code axial},
     * {@code coronal}, {@code sagittal}, {@code atlas}), as {@link EvaluationDocument}: the study's
     * summary numbers and the 21×21 confusion matrix (rows reference, columns prediction, voxels);
     * {@code null} without reference labels.
     */
    static String evaluation(Map<String, ConfusionMatrix> confusions, double voxelMl) {
        if (confusions.isEmpty()) {
            return null;
        }
        return write(EvaluationDocument.of(confusions, voxelMl), "evaluation");
    }

    /** The fused summary for the transition log, e.g. {@code mean IoU 0.512}. */
    static String summary(String method, Map<String, ConfusionMatrix> confusions, RegionStatistics stats) {
        String base = "fused by " + method + " vote; " + stats.flagged().size() + " region pair(s) flagged";
        ConfusionMatrix fused = confusions.get(EvaluationDocument.FUSED);
        if (fused == null) {
            return base + "; no reference labels, no metrics";
        }
        return base + String.format(java.util.Locale.ROOT, "; fused mean IoU %.3f, mean Dice %.3f", fused.meanIoU(),
                fused.meanDice());
    }

    private static String write(Object document, String what) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " not serialisable", e);
        }
    }
}
