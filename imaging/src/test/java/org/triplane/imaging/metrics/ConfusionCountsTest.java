package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionCountsTest {
    private static final double VOXEL_ML = 0.25;

    @Test
    void metricsOfALabelWithEveryKindOfVoxel() {
        ConfusionCounts c = new ConfusionCounts(60, 20, 10, 910);
        assertTrue(c.present());
        assertEquals(1000, c.total());
        assertEquals(60.0 / 90, c.iou(), 1e-15);
        assertEquals(120.0 / 150, c.dice(), 1e-15);
        assertEquals(30.0 / 1000, c.misclassificationRate(), 1e-15);
        assertEquals(2.0, c.fpFnRatio(), 0);
        assertEquals(70 * VOXEL_ML, c.referenceMl(VOXEL_ML), 1e-12);
        assertEquals(80 * VOXEL_ML, c.predictedMl(VOXEL_ML), 1e-12);
    }

    @Test
    void aLabelAbsentFromReferenceAndPredictionHasNoIouDiceOrRatio() {
        ConfusionCounts absent = new ConfusionCounts(0, 0, 0, 1000);
        assertFalse(absent.present());
        assertTrue(Double.isNaN(absent.iou()), "neither 1 nor 0: the mean over regions present leaves it out");
        assertTrue(Double.isNaN(absent.dice()));
        assertTrue(Double.isNaN(absent.fpFnRatio()));
        assertEquals(0.0, absent.misclassificationRate(), 0);
        assertEquals(0.0, absent.referenceMl(VOXEL_ML), 0);
        assertEquals(0.0, absent.predictedMl(VOXEL_ML), 0);
    }

    @Test
    void withoutFalseNegativesThereIsNoRatioWhateverTheFalsePositives() {
        ConfusionCounts overSegmented = new ConfusionCounts(40, 5, 0, 955);
        assertTrue(Double.isNaN(overSegmented.fpFnRatio()), "not +∞: JSON has none and a mean over regions would be infinite");
        assertEquals(40.0 / 45, overSegmented.iou(), 1e-15);

        ConfusionCounts perfect = new ConfusionCounts(40, 0, 0, 960);
        assertTrue(Double.isNaN(perfect.fpFnRatio()));
        assertEquals(1.0, perfect.iou(), 0);
        assertEquals(1.0, perfect.dice(), 0);
        assertEquals(0.0, perfect.misclassificationRate(), 0);

        ConfusionCounts onlyPredicted = new ConfusionCounts(0, 7, 0, 993);
        assertTrue(onlyPredicted.present());
        assertEquals(0.0, onlyPredicted.iou(), 0);
        assertEquals(0.0, onlyPredicted.dice(), 0);
        assertTrue(Double.isNaN(onlyPredicted.fpFnRatio()));
    }

    @Test
    void withoutFalsePositivesTheRatioIsZero() {
        ConfusionCounts underSegmented = new ConfusionCounts(30, 0, 10, 960);
        assertEquals(0.0, underSegmented.fpFnRatio(), 0);
        assertEquals(30.0 / 40, underSegmented.iou(), 1e-15);

        ConfusionCounts missed = new ConfusionCounts(0, 0, 12, 988);
        assertEquals(0.0, missed.fpFnRatio(), 0);
        assertEquals(0.0, missed.iou(), 0);
        assertEquals(12 * VOXEL_ML, missed.referenceMl(VOXEL_ML), 1e-12);
    }

    @Test
    void nothingCountedHasNoRatesAndNoVolume() {
        ConfusionCounts none = new ConfusionCounts(0, 0, 0, 0);
        assertFalse(none.present());
        assertTrue(Double.isNaN(none.iou()) && Double.isNaN(none.dice()) && Double.isNaN(none.fpFnRatio()));
        assertTrue(Double.isNaN(none.misclassificationRate()));
        assertEquals(0.0, none.referenceMl(VOXEL_ML), 0);
        assertEquals(0.0, none.predictedMl(VOXEL_ML), 0);
    }

    @Test
    void aMetricThatDoesNotExistIsStoredAsNull() {
        assertNull(ConfusionCounts.orNull(new ConfusionCounts(0, 3, 0, 9).fpFnRatio()));
        assertEquals(0.75, ConfusionCounts.orNull(0.75));
        assertEquals(0.0, ConfusionCounts.orNull(0.0));
    }

    @Test
    void aMeanRunsOverTheLabelsThatHaveTheMetric() {
        List<ConfusionCounts> labels = List.of(
                new ConfusionCounts(3, 1, 0, 96),  // IoU 3/4; FN = 0: no FP/FN ratio
                new ConfusionCounts(0, 0, 0, 100), // in neither volume: no IoU, no ratio
                new ConfusionCounts(2, 2, 1, 95)); // IoU 2/5; FP/FN 2
        assertEquals((3.0 / 4 + 2.0 / 5) / 2, ConfusionCounts.mean(labels, ConfusionCounts::iou), 1e-15);
        assertEquals(2.0, ConfusionCounts.mean(labels, ConfusionCounts::fpFnRatio), 0);
        assertTrue(Double.isNaN(ConfusionCounts.mean(labels.subList(0, 2), ConfusionCounts::fpFnRatio)),
                "no label has the ratio: the mean does not exist");
        assertTrue(Double.isNaN(ConfusionCounts.mean(List.of(), ConfusionCounts::iou)));
    }

    @Test
    void rejectsNegativeCountsAndBadVoxelVolumes() {
        assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionCounts(0, 0, 0, -5));
        ConfusionCounts c = new ConfusionCounts(1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> c.referenceMl(0));
        assertThrows(IllegalArgumentException.class, () -> c.predictedMl(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> c.referenceMl(Double.NaN));
    }

    @Test
    void theMatrixGivesEachLabelsCounts() {
        ConfusionMatrix m = new ConfusionMatrix().add(new byte[] {0, 0, 5, 5, 5, 7}, new byte[] {0, 5, 5, 5, 7, 7});
        assertEquals(new ConfusionCounts(2, 1, 1, 2), m.counts(5));
        assertEquals(m.counts(5).iou(), m.iou(5), 0);
        assertEquals(new ConfusionCounts(0, 0, 0, 6), m.counts(9));
    }
}
