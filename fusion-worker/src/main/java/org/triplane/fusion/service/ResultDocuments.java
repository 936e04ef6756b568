package org.triplane.fusion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.labels.ViewerLabelTable;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.RegionStatisticsDocument;
import org.triplane.imaging.plane.Plane;

/**
 * The JSON documents a result row holds. Numbers keep their units in their names (ml, HU); a value
 * that does not exist (the mean HU of an absent region, an undefined ratio) is {@code null}, never NaN.
 */
final class ResultDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultDocuments() {
    }

    /**
     * A label volume (uint8 0..20) of a scan's result, by where the plane keys name it: {@code part}
     * of {@code plane}, or at the top level without a plane.
     *
     * @param plane a prediction's name ({@code axial}, …, {@code atlas}), or {@code null} for the fused labels
     * @param part  its name there ({@code labels}, {@code labels-acquired}), or the result's download name of
     *              the fused labels ({@code segmentation}, {@code rotated-segmentation})
     * @param key   its object key
     */
    record LabelVolume(String plane, String part, String key) {
    }

    /**
     * Every label volume of a scan's result, on both grids: the fused labels, each plane's and the
     * atlas method's; each gets the viewers' label tables beside it ({@link ViewerLabelTable}).
     */
    static List<LabelVolume> labelVolumes(UUID tenantId, UUID jobId, UUID scanId) {
        List<LabelVolume> out = new ArrayList<>();
        out.add(new LabelVolume(null, "segmentation", ObjectKeys.fusedLabelsAcquired(tenantId, jobId, scanId)));
        out.add(new LabelVolume(null, "rotated-segmentation", ObjectKeys.fusedLabelsRotated(tenantId, jobId, scanId)));
        for (Plane p : Plane.values()) {
            out.add(new LabelVolume(p.wireName(), "labels", ObjectKeys.planeLabels(tenantId, jobId, scanId, p)));
        }
        out.add(new LabelVolume(ObjectKeys.ATLAS, "labels", ObjectKeys.atlasLabels(tenantId, jobId, scanId)));
        out.add(new LabelVolume(ObjectKeys.ATLAS, "labels-acquired", ObjectKeys.atlasLabelsAcquired(tenantId, jobId, scanId)));
        return List.copyOf(out);
    }

    /**
     * {@code {"axial": {"labels": key, "confidence": key, "labels.itksnap.txt": key, "labels.ctbl": key}, ...,
     * "atlas": {"labels": key, "labels-acquired": key, ...}, "segmentation.itksnap.txt": key, ...}}: the
     * planes' predictions that were fused and the atlas method's on both grids, and beside every label
     * volume of {@link #labelVolumes} its viewers' tables, named as the volume with the table's suffix.
     */
    static String planeKeys(UUID tenantId, UUID jobId, UUID scanId) {
        ObjectNode root = JSON.createObjectNode();
        for (Plane p : Plane.values()) {
            root.putObject(p.wireName()).put("labels", ObjectKeys.planeLabels(tenantId, jobId, scanId, p))
                    .put("confidence", ObjectKeys.planeConfidence(tenantId, jobId, scanId, p));
        }
        root.putObject(ObjectKeys.ATLAS).put("labels", ObjectKeys.atlasLabels(tenantId, jobId, scanId))
                .put("labels-acquired", ObjectKeys.atlasLabelsAcquired(tenantId, jobId, scanId));
        for (LabelVolume v : labelVolumes(tenantId, jobId, scanId)) {
            ObjectNode node = v.plane() == null ? root : root.withObjectProperty(v.plane());
            for (ViewerLabelTable table : ViewerLabelTable.values()) {
                node.put(v.part() + table.suffix(), ObjectKeys.labelTable(v.key(), table.suffix()));
            }
        }
        return root.toString();
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

    private static String write(Record document, String what) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " not serialisable", e);
        }
    }
}
