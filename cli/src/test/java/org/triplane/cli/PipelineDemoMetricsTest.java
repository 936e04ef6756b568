package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.metrics.ConfusionCounts;

/**
 * The demo's per-class figures from the gateway's metric rows: counts summed over the scans, the
 * metrics of the sums by the rule the stored rows follow, and a metric that does not exist
 * written to summary.json as null.
 */
class PipelineDemoMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsAreSummedOverScansBeforeTheMetricsAreTaken() {
        ArrayNode rows = JSON.createArrayNode();
        row(rows, "FUSED", 4, 6, 2, 1, 91, 0.6, 0.8);
        row(rows, "FUSED", 4, 2, 0, 3, 95, 0.4, 0.2);
        row(rows, "AXIAL", 4, 1, 1, 1, 97, 0.2, 0.2);
        row(rows, "FUSED", 0, 90, 2, 1, 7, 9.0, 9.2);

        List<PipelineDemo.ClassRow> fused = PipelineDemo.fusedClasses(rows);

        assertEquals(1, fused.size(), "background and the other predictions are left out");
        PipelineDemo.ClassRow four = fused.get(0);
        assertEquals(new ConfusionCounts(8, 2, 4, 186), four.counts());
        assertEquals(8.0 / 14, four.iou(), 1e-15);
        assertEquals(16.0 / 22, four.dice(), 1e-15);
        assertEquals(0.5, four.fpFn(), 0);
        assertEquals(1.0, four.gtMl(), 1e-12);
        assertEquals(1.0, four.predMl(), 1e-12);
    }

    @Test
    void aMetricThatDoesNotExistIsNaNAndNullInTheSummary() {
        ArrayNode rows = JSON.createArrayNode();
        row(rows, "FUSED", 7, 0, 0, 0, 100, 0, 0);
        row(rows, "FUSED", 8, 5, 3, 0, 92, 0.8, 0.4);

        List<PipelineDemo.ClassRow> fused = PipelineDemo.fusedClasses(rows);

        PipelineDemo.ClassRow absent = fused.get(0);
        assertTrue(Double.isNaN(absent.iou()) && Double.isNaN(absent.dice()) && Double.isNaN(absent.fpFn()));
        PipelineDemo.ClassRow overSegmented = fused.get(1);
        assertTrue(Double.isNaN(overSegmented.fpFn()), "FN = 0: no ratio, not infinity");
        assertEquals(5.0 / 8, overSegmented.iou(), 1e-15);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("iou", absent.iou());
        summary.put("fpFn", overSegmented.fpFn());
        assertEquals("{\"iou\":null,\"fpFn\":null}", Json.render(summary));
        Map<String, PipelineDemo.Summary> summaries = PipelineDemo.summaries(rows, JSON.createObjectNode());
        assertEquals(5.0 / 8, summaries.get("FUSED").meanIoU(), 1e-15, "the absent class is left out of the mean");
    }

    @Test
    void theLeftRightConfusionIsTheMeanOverTheScansWithAnEvaluationInTheGatewaysAnswer() throws Exception {
        ArrayNode rows = JSON.createArrayNode();
        row(rows, "FUSED", 1, 3, 1, 0, 96, 0.3, 0.4);
        JsonNode results = JSON.readTree("""
                {"scans": [
                  {"scanId": "s1", "evaluation": {"grid": "rotated", "voxelMl": 0.1, "predictions": {
                     "fused": {"meanIoU": 0.75, "leftRightConfusionRate": 0.1, "voxels": 100, "confusion": null},
                     "axial": {"meanIoU": 0.5, "leftRightConfusionRate": 0.9, "voxels": 100, "confusion": null}}}},
                  {"scanId": "s2", "evaluation": null},
                  {"scanId": "s3", "evaluation": {"grid": "rotated", "voxelMl": 0.1, "predictions": {
                     "fused": {"meanIoU": 0.75, "leftRightConfusionRate": 0.3, "voxels": 100, "confusion": null}}}}]}
                """);

        PipelineDemo.Summary fused = PipelineDemo.summaries(rows, results).get("FUSED");

        assertEquals(0.2, fused.leftRight(), 1e-15, "(0.1 + 0.3) / 2: the scan without labels is left out");
        assertEquals(3.0 / 4, fused.meanIoU(), 1e-15);
    }

    private static void row(ArrayNode rows, String plane, int label, long tp, long fp, long fn, long tn, double referenceMl,
                            double predictedMl) {
        rows.addObject().put("plane", plane).put("classLabel", label).put("region", "r" + label)
                .put("tp", tp).put("fp", fp).put("fn", fn).put("tn", tn).put("referenceMl", referenceMl)
                .put("predictedMl", predictedMl);
    }
}
