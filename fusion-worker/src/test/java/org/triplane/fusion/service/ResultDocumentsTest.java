package org.triplane.fusion.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.events.ResultKeys;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.RegionStatisticsDocument;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class ResultDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void absentRegionsHaveNullMeansNotNaN() throws Exception {
        JsonNode doc = JSON.readTree(ResultDocuments.regionStatistics(fourVoxels(), 0.001));
        assertThat(doc.path("regions").get(0).path("meanHu").asDouble()).isEqualTo(15.0);
        assertThat(doc.path("regions").get(10).path("meanHu").asDouble()).isEqualTo(30.0);
        assertThat(doc.path("regions").get(1).path("meanHu").isNull()).isTrue();
        JsonNode caudate = doc.path("pairs").get(0);
        assertThat(caudate.path("differenceHu").asDouble()).isEqualTo(-15.0);
        assertThat(caudate.path("flagged").asBoolean()).isTrue();
        assertThat(doc.path("pairs").get(1).path("differenceHu").isNull()).isTrue();
        assertThat(doc.path("flagged")).hasSize(1);
    }

    @Test
    void regionStatisticsAreWrittenByteForByteAsStoredResultsHoldThem() throws Exception {
        String stored;
        try (InputStream in = ResultDocumentsTest.class.getResourceAsStream("/region-statistics-as-stored.json")) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(ResultDocuments.regionStatistics(fourVoxels(), 0.001)).isEqualTo(stored);
        assertThat(JSON.readValue(stored, RegionStatisticsDocument.class))
                .isEqualTo(RegionStatisticsDocument.of(fourVoxels(), 0.001));
    }

    @Test
    void anEvaluationIsWrittenByteForByteAsStoredResultsHoldIt() throws Exception {
        String stored;
        try (InputStream in = ResultDocumentsTest.class.getResourceAsStream("/evaluation-as-stored.json")) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] truth = {0, 1, 1, 11, 2, 0, 3, 3};
        Map<String, ConfusionMatrix> confusions = new LinkedHashMap<>();
        confusions.put("fused", new ConfusionMatrix().add(truth, new byte[] {0, 1, 11, 11, 2, 4, 3, 3}));
        confusions.put("axial", new ConfusionMatrix().add(truth, truth.clone()));
        confusions.put("atlas", new ConfusionMatrix().add(truth, new byte[8]));
        assertThat(ResultDocuments.evaluation(confusions, 0.125)).isEqualTo(stored);
        EvaluationDocument read = JSON.readValue(stored, EvaluationDocument.class);
        assertThat(read.predictions().keySet()).containsExactly("fused", "axial", "atlas");
        // the atlas method put every voxel on background: IoU 0 in each of the four regions, FP/FN 0 / FN in each
        EvaluationDocument.Prediction atlas = read.prediction("atlas").orElseThrow();
        assertThat(atlas.meanIoU()).isEqualTo(0.0);
        assertThat(atlas.finiteRatioRegions()).isEqualTo(4);
        assertThat(atlas.confusionMatrix().orElseThrow().count(1, 0)).isEqualTo(2);
    }

    /** Left C (1) on voxels 0 and 1, right C (11) on voxel 2, background on voxel 3; HU 10, 20, 30, 40. */
    private static RegionStatistics fourVoxels() {
        Geometry g = Geometry.axisAligned(4, 1, 1, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume ct = Volume.allocate(g, DataType.INT16);
        for (int i = 0; i < 4; i++) {
            ct.voxels().set(i, 10 * (i + 1));
        }
        return RegionStatistics.of(ct, new Volume(g, new VoxelBuffer.UInt8(new byte[] {1, 1, 11, 0})));
    }

    @Test
    void noReferenceMeansNoEvaluationAndEachPredictionHasItsConfusionMatrix() throws Exception {
        assertThat(ResultDocuments.evaluation(Map.of(), 0.001)).isNull();
        Map<String, ConfusionMatrix> confusions = new LinkedHashMap<>();
        confusions.put("fused", new ConfusionMatrix().add(new byte[] {0, 1, 1, 11}, new byte[] {0, 1, 11, 11}));
        JsonNode doc = JSON.readTree(ResultDocuments.evaluation(confusions, 0.001));
        JsonNode fused = doc.path("predictions").path("fused");
        // region 1: TP 1, FN 1 → IoU 1/2; region 11: TP 1, FP 1 → IoU 1/2
        assertThat(fused.path("meanIoU").asDouble()).isEqualTo(0.5);
        assertThat(fused.path("leftRightConfusionRate").asDouble()).isEqualTo(1.0 / 3);
        assertThat(fused.path("confusion").get(1).get(11).asLong()).isEqualTo(1);
        assertThat(fused.path("voxels").asLong()).isEqualTo(4);
    }

    @Test
    void planeKeysAreWrittenByteForByteAsStoredResultsHoldThem() throws Exception {
        String stored;
        try (InputStream in = ResultDocumentsTest.class.getResourceAsStream("/plane-keys-as-stored.json")) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        UUID t = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        UUID j = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        UUID s = UUID.fromString("00000000-0000-0000-0000-00000000000c");
        assertThat(ResultDocuments.planeKeys(t, j, s)).isEqualTo(stored);
        @SuppressWarnings("unchecked")
        Map<String, Object> read = JSON.readValue(stored, Map.class);
        assertThat(ResultKeys.fromMap(read)).isEqualTo(ResultKeys.of(t, j, s));
    }

    @Test
    void everyLabelVolumeHasBothViewerTablesBesideItUnderItsOwnName() throws Exception {
        UUID t = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        UUID j = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        UUID s = UUID.fromString("00000000-0000-0000-0000-00000000000c");
        String folder = "tenants/" + t + "/jobs/" + j + "/scans/" + s + "/";
        JsonNode keys = JSON.readTree(ResultDocuments.planeKeys(t, j, s));
        assertThat(keys.path("segmentation.itksnap.txt").asText()).isEqualTo(folder + "fused/labels-acquired.itksnap.txt");
        assertThat(keys.path("segmentation.ctbl").asText()).isEqualTo(folder + "fused/labels-acquired.ctbl");
        assertThat(keys.path("rotated-segmentation.ctbl").asText()).isEqualTo(folder + "fused/labels-rotated.ctbl");
        for (String plane : List.of("axial", "coronal", "sagittal", "atlas")) {
            assertThat(keys.path(plane).path("labels.itksnap.txt").asText())
                    .isEqualTo(folder + "planes/" + plane + "/labels.itksnap.txt");
            assertThat(keys.path(plane).path("labels.ctbl").asText()).isEqualTo(folder + "planes/" + plane + "/labels.ctbl");
            assertThat(keys.path(plane).has("confidence.ctbl")).as("a confidence map is no label volume").isFalse();
        }
        assertThat(keys.path("atlas").path("labels-acquired.ctbl").asText())
                .isEqualTo(folder + "planes/atlas/labels-acquired.ctbl");
        assertThat(keys.path("axial").path("labels").asText()).isEqualTo(folder + "planes/axial/labels.nii.gz");
        assertThat(ResultKeys.labelVolumes(t, j, s)).hasSize(7);
    }
}
