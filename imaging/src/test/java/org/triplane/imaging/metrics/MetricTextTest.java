package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricTextTest {

    @Test
    void aValueIsShownToItsDecimals() {
        assertEquals("0.750", MetricText.of(0.75, 3));
        assertEquals("0.33", MetricText.of(Double.valueOf(1.0 / 3), 2));
        assertEquals("0.000", MetricText.of(0.0, 3), "zero exists: FP/FN with no false positives");
    }

    @Test
    void aMetricThatDoesNotExistIsADashNeverNaNOrZero() {
        // FP/FN of a region with FP 4, FN 0; IoU of a region in neither volume
        assertEquals("—", MetricText.of(new ConfusionCounts(10, 4, 0, 86).fpFnRatio(), 2));
        assertEquals("—", MetricText.of(new ConfusionCounts(0, 0, 0, 100).iou(), 3));
        assertEquals("—", MetricText.of((Double) null, 3), "null as stored");
        assertEquals("—", MetricText.of(Double.POSITIVE_INFINITY, 3));
        assertEquals(MetricText.UNDEFINED, "—");
    }
}
