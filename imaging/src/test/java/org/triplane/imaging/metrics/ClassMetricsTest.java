package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassMetricsTest {
    //                                    0  1  2  3  4  5  6  7  8  9
    private static final byte[] TRUTH = {0, 0, 0, 5, 5, 5, 5, 15, 15, 3};
    private static final byte[] PRED = {0, 5, 5, 5, 5, 0, 15, 15, 0, 3};
    private static final double VOXEL_ML = 0.45 * 0.45 * 1.25 / 1000;

    @Test
    void countsAndRatesOfOneRegion() {
        ConfusionMatrix m = new ConfusionMatrix().add(TRUTH, PRED);
        ClassMetrics five = ClassMetrics.of(m, 5, VOXEL_ML);
        // label 5: TP voxels 3,4; FP 1,2; FN 5,6; TN the other four
        assertEquals(2, five.truePositives());
        assertEquals(2, five.falsePositives());
        assertEquals(2, five.falseNegatives());
        assertEquals(4, five.trueNegatives());
        assertEquals(2.0 / 6, five.iou(), 1e-15);
        assertEquals(4.0 / 8, five.dice(), 1e-15);
        assertEquals(4.0 / 10, five.misclassificationRate(), 1e-15);
        assertEquals(1.0, five.fpFnRatio(), 0);
        assertEquals(4 * VOXEL_ML, five.truthMl(), 1e-15);
        assertEquals(4 * VOXEL_ML, five.predictedMl(), 1e-15);
        assertTrue(five.present());

        ClassMetrics fifteen = ClassMetrics.of(m, 15, VOXEL_ML);
        // label 15: TP voxel 7; FP voxel 6; FN voxel 8
        assertEquals(1, fifteen.truePositives());
        assertEquals(1.0 / 3, fifteen.iou(), 1e-15);
        assertEquals(1.0, fifteen.fpFnRatio(), 0);
        assertEquals(2 * VOXEL_ML, fifteen.truthMl(), 1e-15);

        ClassMetrics background = ClassMetrics.of(m, 0, VOXEL_ML);
        // label 0: TP voxel 0; FP 5, 8; FN 1, 2
        assertEquals(1, background.truePositives());
        assertEquals(2, background.falsePositives());
        assertEquals(2, background.falseNegatives());
        assertEquals(5, background.trueNegatives());
    }

    @Test
    void ratioWithoutFalseNegatives() {
        ConfusionMatrix m = new ConfusionMatrix().add(TRUTH, PRED);
        ClassMetrics three = ClassMetrics.of(m, 3, VOXEL_ML);
        assertEquals(1.0, three.iou(), 0);
        assertTrue(Double.isNaN(three.fpFnRatio()), "no errors at all: no ratio");
        assertEquals(0.0, three.misclassificationRate(), 0);

        ConfusionMatrix over = new ConfusionMatrix().add(new byte[] {0, 4}, new byte[] {4, 4});
        assertTrue(Double.isNaN(ClassMetrics.of(over, 4, VOXEL_ML).fpFnRatio()), "only over-segmentation: no ratio either");
        assertEquals(0.0, ClassMetrics.of(over, 0, VOXEL_ML).fpFnRatio(), 0);

        ClassMetrics absent = ClassMetrics.of(m, 9, VOXEL_ML);
        assertTrue(!absent.present() && Double.isNaN(absent.iou()) && Double.isNaN(absent.fpFnRatio()));
        assertEquals(0.0, absent.truthMl(), 0);
    }

    @Test
    void rejectsBadArguments() {
        ConfusionMatrix m = new ConfusionMatrix();
        assertThrows(IllegalArgumentException.class, () -> ClassMetrics.of(m, 21, 1));
        assertThrows(IllegalArgumentException.class, () -> ClassMetrics.of(m, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ClassMetrics.of(m, 1, Double.NaN));
    }
}
