package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An evaluation as results have stored it since evaluations were first recorded (written by the
     * fusion-worker's field-by-field writer): one prediction that matches its reference (labels 1, 2,
     * 3 and 11; so no region has FN &gt; 0 and the FP/FN ratio's mean and variance do not exist).
     */
    private static String stored() throws IOException {
        try (InputStream in = EvaluationDocumentTest.class.getResourceAsStream("/evaluation-axial-as-stored.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final byte[] TRUTH = {0, 1, 1, 11, 2, 0, 3, 3};

    @Test
    void holdsEachPredictionsSummaryWithTheValuesWorkedOutByHand() {
        Map<String, ConfusionMatrix> confusions = new LinkedHashMap<>();
        // region 1: TP 1, FN 1 (as 11); region 11: TP 1, FP 1; regions 2 and 3 exact; region 4: FP 1 only
        confusions.put(EvaluationDocument.FUSED, new ConfusionMatrix().add(TRUTH, new byte[] {0, 1, 11, 11, 2, 4, 3, 3}));
        confusions.put("axial", new ConfusionMatrix().add(TRUTH, TRUTH.clone()));

        EvaluationDocument doc = EvaluationDocument.of(confusions, 0.125);

        assertEquals(EvaluationDocument.ROTATED_GRID, doc.grid());
        assertEquals(0.125, doc.voxelMl(), 0);
        assertEquals(List.of("fused", "axial"), List.copyOf(doc.predictions().keySet()), "written in the order given");
        EvaluationDocument.Prediction fused = doc.prediction(EvaluationDocument.FUSED).orElseThrow();
        // IoU of the five regions present: 1/2, 1/2, 1, 1, 0; Dice 2/3, 2/3, 1, 1, 0
        assertEquals(3.0 / 5, fused.meanIoU(), 1e-15);
        assertEquals((2.0 / 3 + 2.0 / 3 + 1 + 1) / 5, fused.meanDice(), 1e-15);
        // (FP + FN) / 8 of the five regions: 1/8, 1/8, 0, 0, 1/8
        assertEquals(3.0 / 8 / 5, fused.meanMisclassificationRate(), 1e-15);
        // only region 1 has FN > 0: FP/FN = 0/1; regions 11, 2, 3 and 4 have none
        assertEquals(0.0, fused.meanFpFnRatio(), 0);
        assertEquals(0.0, fused.fpFnRatioVariance(), 0);
        assertEquals(1, fused.finiteRatioRegions());
        // one of the six reference region voxels (left C) predicted as its right twin
        assertEquals(1.0 / 6, fused.leftRightConfusionRate(), 1e-15);
        assertEquals(8, fused.voxels());
        assertEquals(1, fused.confusion()[1][11]);
        assertEquals(1, fused.confusion()[0][4]);
        EvaluationDocument.Prediction axial = doc.prediction("axial").orElseThrow();
        assertNull(axial.meanFpFnRatio(), "no region has FN > 0: the ratio's mean does not exist");
        assertNull(axial.fpFnRatioVariance());
        assertEquals(0, axial.finiteRatioRegions());
        assertTrue(doc.prediction("coronal").isEmpty());
    }

    @Test
    void aPredictionWithNoRegionInReferenceOrPredictionHasNoMeans() {
        byte[] background = new byte[5];
        EvaluationDocument.Prediction p = EvaluationDocument.Prediction.of(
                new ConfusionMatrix().add(background, background.clone()), 1.0);
        assertNull(p.meanIoU());
        assertNull(p.meanDice());
        assertNull(p.meanMisclassificationRate());
        assertNull(p.meanFpFnRatio());
        assertNull(p.fpFnRatioVariance());
        assertNull(p.leftRightConfusionRate(), "the reference has no region voxels");
        assertEquals(0, p.finiteRatioRegions());
        assertEquals(5, p.voxels());
    }

    @Test
    void aDocumentAsResultsStoreItReadsBack() throws Exception {
        EvaluationDocument doc = JSON.readValue(stored(), EvaluationDocument.class);

        assertEquals(EvaluationDocument.ROTATED_GRID, doc.grid());
        assertEquals(0.125, doc.voxelMl(), 0);
        EvaluationDocument.Prediction axial = doc.prediction("axial").orElseThrow();
        assertEquals(1.0, axial.meanIoU(), 0);
        assertEquals(1.0, axial.meanDice(), 0);
        assertEquals(0.0, axial.meanMisclassificationRate(), 0);
        assertNull(axial.meanFpFnRatio());
        assertNull(axial.fpFnRatioVariance());
        assertEquals(0, axial.finiteRatioRegions());
        assertEquals(0.0, axial.leftRightConfusionRate(), 0);
        assertEquals(8, axial.voxels());
        ConfusionMatrix m = axial.confusionMatrix().orElseThrow();
        assertEquals(8, m.total());
        assertEquals(2, m.count(1, 1));
        assertEquals(1, m.count(11, 11));
        assertEquals(1.0, m.meanIoU(), 0);
    }

    @Test
    void aJsonMapperWritesItAsResultsStoreIt() throws Exception {
        EvaluationDocument doc = EvaluationDocument.of(Map.of("axial", new ConfusionMatrix().add(TRUTH, TRUTH.clone())), 0.125);
        assertEquals(stored(), JSON.writeValueAsString(doc));
    }

    @Test
    void withoutConfusionLeavesTheSummariesAndDropsTheMatrices() {
        EvaluationDocument doc = EvaluationDocument.of(Map.of("axial", new ConfusionMatrix().add(TRUTH, TRUTH.clone())), 0.125);
        EvaluationDocument.Prediction p = doc.withoutConfusion().prediction("axial").orElseThrow();
        assertNull(p.confusion());
        assertTrue(p.confusionMatrix().isEmpty());
        assertEquals(1.0, p.meanIoU(), 0);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                doc.prediction("axial").orElseThrow().confusion()[11], "the original keeps its matrices");
    }

    @Test
    void aStoredMatrixOfTheWrongShapeIsRefusedSaying() throws Exception {
        EvaluationDocument doc = JSON.readValue("{\"predictions\":{\"fused\":{\"confusion\":[[1,2],[3,4]]}}}",
                EvaluationDocument.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> doc.prediction(EvaluationDocument.FUSED).orElseThrow().confusionMatrix());
        assertEquals("a confusion matrix has 21 rows, got 2", e.getMessage());
    }

    @Test
    void aDocumentWithoutFieldsReadsAsNoPredictionsOnTheRotatedGrid() throws Exception {
        EvaluationDocument empty = JSON.readValue("{}", EvaluationDocument.class);
        assertEquals(EvaluationDocument.ROTATED_GRID, empty.grid());
        assertTrue(empty.predictions().isEmpty());
    }
}
