package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.metrics.ConfusionCounts;

/** The demo's per-class table shows a metric that does not exist as the report does: a dash. */
class DemoTableTest {

    @Test
    void aClassWithErrorsOfBothKindsShowsEveryMetric() {
        // TP 6, FP 2, FN 4: IoU 6/12, Dice 12/18, FP/FN 0.5
        PipelineDemo.ClassRow r = new PipelineDemo.ClassRow(8, "left M1", new ConfusionCounts(6, 2, 4, 88), 5.0, 4.0);
        assertEquals("    8  M1      left    0.500   0.667    0.50           5.0           4.0", DemoCommand.classLine(r));
    }

    @Test
    void overSegmentationOnlyHasNoFpFnRatioAndAnAbsentClassNoMetricAtAll() {
        // TP 5, FP 3, FN 0: IoU 5/8, Dice 10/13, FP/FN does not exist
        PipelineDemo.ClassRow over = new PipelineDemo.ClassRow(18, "right M1", new ConfusionCounts(5, 3, 0, 92), 2.5, 4.0);
        assertEquals("   18  M1      right   0.625   0.769       —           2.5           4.0", DemoCommand.classLine(over));
        PipelineDemo.ClassRow absent = new PipelineDemo.ClassRow(10, "left M3", new ConfusionCounts(0, 0, 0, 100), 0, 0);
        assertEquals("   10  M3      left        —       —       —           0.0           0.0", DemoCommand.classLine(absent));
    }
}
