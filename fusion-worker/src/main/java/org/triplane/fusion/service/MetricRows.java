package org.triplane.fusion.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.MetricPlane;
import org.triplane.imaging.metrics.ConfusionMatrix;

/** The {@code class_metrics} rows of one scan: per prediction (fused and each plane), classes 0..20. */
final class MetricRows {
    private MetricRows() {
    }

    /**
     * @param confusions prediction name ({@code fused}, {@code axial}, ...) → confusion against the reference
     * @param voxelMl    volume of one voxel of the reference grid, ml
     */
    static List<ClassMetric> of(UUID tenantId, UUID jobId, UUID scanId, UUID modelSetId,
                                Map<String, ConfusionMatrix> confusions, double voxelMl) {
        List<ClassMetric> rows = new ArrayList<>(confusions.size() * ConfusionMatrix.CLASSES);
        for (Map.Entry<String, ConfusionMatrix> e : confusions.entrySet()) {
            MetricPlane plane = MetricPlane.fromWireName(e.getKey());
            ConfusionMatrix m = e.getValue();
            for (int label = 0; label < ConfusionMatrix.CLASSES; label++) {
                rows.add(ClassMetric.fromCounts(new ClassMetric.Key(tenantId, jobId, scanId, modelSetId, plane, label),
                        m.truePositives(label), m.falsePositives(label), m.falseNegatives(label), m.trueNegatives(label),
                        voxelMl));
            }
        }
        return rows;
    }
}
