package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

class RegionStatisticsTest {
    /** (label, HU) per voxel; 16 voxels on a 4×4×1 grid of 2×1×0.5 mm (1 µL each). */
    private static final int[][] VOXELS = {
        {5, 30}, {5, 32}, {5, 34},   // left M4: mean 32, median 32
        {15, 29}, {15, 30}, {15, 31}, // right M4: mean 30 -> difference exactly 2 HU
        {1, 10}, {11, 11},            // caudate: difference -1 HU but ratio 10/11 = 0.909
        {2, 25}, {2, 25}, {12, 26}, {12, 26}, // lentiform: -1 HU, ratio 0.962: within limits
        {3, 21},                      // left IC only: right IC absent
        {4, -5}, {14, -4},            // insula with means below 0 HU: ratio undefined
        {0, -1000},
    };

    private static RegionStatistics statistics() {
        Geometry g = Geometry.axisAligned(4, 4, 1, new double[] {2, 1, 0.5}, new double[3]);
        Volume ct = Volume.allocate(g, DataType.INT16);
        Volume labels = Volume.allocate(g, DataType.UINT8);
        for (int i = 0; i < VOXELS.length; i++) {
            labels.voxels().set(i, VOXELS[i][0]);
            ct.voxels().set(i, VOXELS[i][1]);
        }
        return RegionStatistics.of(ct, labels);
    }

    @Test
    void measuresEveryRegion() {
        RegionStatistics s = statistics();
        assertEquals(20, s.regions().size());
        RegionMeasurement m4 = s.region(5);
        assertEquals("left M4", m4.name());
        assertEquals(3, m4.voxels());
        assertEquals(3 * 0.001, m4.volumeMl(), 1e-15);
        assertEquals(32, m4.meanHu(), 1e-12);
        assertEquals(32, m4.medianHu(), 0);
        assertEquals(25.5, (s.region(2).meanHu() + s.region(12).meanHu()) / 2, 1e-12);
        RegionMeasurement absent = s.region(13);
        assertFalse(absent.present());
        assertEquals(0.0, absent.volumeMl(), 0);
        assertTrue(Double.isNaN(absent.meanHu()) && Double.isNaN(absent.medianHu()));
    }

    @Test
    void flagsLeftRightDifferencesAtTheDocumentedLimits() {
        List<HemisphereComparison> pairs = statistics().pairs();
        assertEquals(10, pairs.size());

        HemisphereComparison m4 = pairs.get(4);
        assertEquals("M4", m4.region());
        assertEquals(5, m4.leftLabel());
        assertEquals(15, m4.rightLabel());
        assertEquals(2.0, m4.differenceHu(), 0);
        assertEquals(30.0 / 32.0, m4.ratio(), 1e-15);
        assertTrue(m4.flagged(), m4.reason());

        HemisphereComparison caudate = pairs.get(0);
        assertEquals(-1.0, caudate.differenceHu(), 0);
        assertEquals(10.0 / 11.0, caudate.ratio(), 1e-15);
        assertTrue(caudate.flagged(), "ratio 0.909 ≤ 0.95");
        assertTrue(caudate.reason().contains("smaller/larger"), caudate.reason());
        assertFalse(caudate.reason().contains("|difference|"), caudate.reason());

        HemisphereComparison lentiform = pairs.get(1);
        assertEquals(-1.0, lentiform.differenceHu(), 0);
        assertEquals(25.0 / 26.0, lentiform.ratio(), 1e-15);
        assertFalse(lentiform.flagged(), lentiform.reason());
        assertTrue(lentiform.reason().endsWith("within limits"), lentiform.reason());

        HemisphereComparison insula = pairs.get(3);
        assertEquals(-1.0, insula.differenceHu(), 0);
        assertTrue(Double.isNaN(insula.ratio()));
        assertFalse(insula.flagged(), insula.reason());

        HemisphereComparison capsule = pairs.get(2);
        assertEquals(21.0, capsule.leftMeanHu(), 0);
        assertTrue(Double.isNaN(capsule.rightMeanHu()) && Double.isNaN(capsule.differenceHu()) && Double.isNaN(capsule.ratio()));
        assertFalse(capsule.flagged());
        assertEquals("not compared: right IC (label 13) absent from the segmentation", capsule.reason());

        HemisphereComparison m6 = pairs.get(6);
        assertFalse(m6.flagged());
        assertTrue(m6.reason().contains("left M6 (label 7) and right M6 (label 17) absent"), m6.reason());

        assertEquals(List.of("C", "M4"), statistics().flagged().stream().map(HemisphereComparison::region).toList());
    }

    @Test
    void gridsMustMatch() {
        Volume ct = Volume.allocate(Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[3]), DataType.INT16);
        Volume labels = Volume.allocate(Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[] {0, 0, 5}), DataType.UINT8);
        assertThrows(IllegalArgumentException.class, () -> RegionStatistics.of(ct, labels));
        assertThrows(IllegalArgumentException.class, () -> statistics().region(0));
    }
}
