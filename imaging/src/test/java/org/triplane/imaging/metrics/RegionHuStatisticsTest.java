package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

class RegionHuStatisticsTest {
    @Test
    void countsVolumesMeansAndMediansPerLabel() {
        Geometry g = Geometry.axisAligned(5, 1, 1, new double[] {2, 1, 0.5}, new double[3]);
        Volume ct = Volume.allocate(g, DataType.INT16);
        Volume labels = Volume.allocate(g, DataType.UINT8);
        double[] hu = {-1000, 20, 30, 100, 40};
        int[] lab = {0, 6, 6, 6, 16};
        for (int i = 0; i < 5; i++) {
            ct.voxels().set(i, hu[i]);
            labels.voxels().set(i, lab[i]);
        }
        RegionHuStatistics s = RegionHuStatistics.of(ct, labels);
        assertEquals(3, s.counts()[6]);
        assertEquals(3 * 2 * 1 * 0.5 / 1000, s.volumes()[6], 1e-12);
        assertEquals(50, s.means()[6], 1e-12);
        assertEquals(30, s.medians()[6], 0);
        assertEquals(40, s.medians()[16], 0);
        assertTrue(Double.isNaN(s.means()[1]));
        assertEquals(4, s.labelledVoxels());
    }

    @Test
    void gridsMustMatch() {
        Volume a = Volume.allocate(Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[3]), DataType.INT16);
        Volume b = Volume.allocate(Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 2}, new double[3]), DataType.UINT8);
        assertThrows(IllegalArgumentException.class, () -> RegionHuStatistics.of(a, b));
    }
}
