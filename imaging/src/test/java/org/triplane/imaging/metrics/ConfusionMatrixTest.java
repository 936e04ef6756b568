package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    // truth:      0 0 1 1 1 11 11 2
    // prediction: 0 1 1 1 11 11 0 2
    private static final byte[] TRUTH = {0, 0, 1, 1, 1, 11, 11, 2};
    private static final byte[] PREDICTED = {0, 1, 1, 1, 11, 11, 0, 2};

    @Test
    void countsPerClassFollowTheDefinitions() {
        ConfusionMatrix m = new ConfusionMatrix().add(TRUTH, PREDICTED);
        assertEquals(8, m.total());
        // label 1: truth at 2,3,4; predicted at 1,2,3
        assertEquals(2, m.truePositives(1));
        assertEquals(1, m.falsePositives(1));
        assertEquals(1, m.falseNegatives(1));
        assertEquals(4, m.trueNegatives(1));
        assertEquals(0.5, m.iou(1), 1e-12);
        assertEquals(4.0 / 6.0, m.dice(1), 1e-12);
        // label 11: truth at 5,6; predicted at 4,5
        assertEquals(1.0 / 3.0, m.iou(11), 1e-12);
        assertEquals(1.0, m.iou(2), 1e-12);
        assertTrue(Double.isNaN(m.iou(7)));
        assertEquals((0.5 + 1.0 / 3.0 + 1.0) / 3.0, m.meanIoU(), 1e-12);
    }

    @Test
    void leftRightConfusionCountsOnlyContralateralTwins() {
        ConfusionMatrix m = new ConfusionMatrix().add(TRUTH, PREDICTED);
        // region voxels in truth: 6 (three of 1, two of 11, one of 2); one 1 predicted as 11
        assertEquals(1.0 / 6.0, m.leftRightConfusionRate(), 1e-12);
    }

    @Test
    void matricesAddUp() {
        ConfusionMatrix whole = new ConfusionMatrix().add(TRUTH, PREDICTED);
        ConfusionMatrix parts = new ConfusionMatrix().add(TRUTH, 0, PREDICTED, 0, 3)
                .add(new ConfusionMatrix().add(TRUTH, 3, PREDICTED, 3, 5));
        assertEquals(whole.total(), parts.total());
        for (int t = 0; t < ConfusionMatrix.CLASSES; t++) {
            for (int p = 0; p < ConfusionMatrix.CLASSES; p++) {
                assertEquals(whole.count(t, p), parts.count(t, p));
            }
        }
    }

    @Test
    void refusesLabelsOutsideTheTable() {
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix().add(new byte[] {21}, new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix().add(new byte[] {1, 2}, new byte[] {1}));
    }

    @Test
    void storedCountsReadBackAsTheSameMatrix() {
        ConfusionMatrix m = new ConfusionMatrix().add(TRUTH, PREDICTED);
        ConfusionMatrix back = ConfusionMatrix.of(m.toArray());
        assertTrue(java.util.Arrays.deepEquals(m.toArray(), back.toArray()));
        assertEquals(m.meanIoU(), back.meanIoU());
        long[][] negative = m.toArray();
        negative[3][4] = -1;
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(negative));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[20][21]));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[21][20]));
    }
}
