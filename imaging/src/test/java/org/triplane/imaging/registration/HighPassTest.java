package org.triplane.imaging.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.Geometry;

/**
 * What the deformable stage compares once the local mean is off: a smooth trend is gone, an edge
 * and a small structure stay.
 */
class HighPassTest {
    /** 40 × 30 × 20 voxels of 2 × 2 × 3 mm. */
    private static final Geometry GRID = Geometry.axisAligned(40, 30, 20, new double[] {2, 2, 3}, new double[] {-40, -30, -30});

    @Test
    void aConstantAndALinearTrendVanishAwayFromTheGridsEnds() {
        float[] v = new float[(int) GRID.voxelCount()];
        for (int k = 0; k < 20; k++) {
            for (int j = 0; j < 30; j++) {
                for (int i = 0; i < 40; i++) {
                    // 25 HU plus 0.3 HU per voxel along x and 0.2 along z: a scanner's slow drift
                    v[i + 40 * (j + 30 * k)] = 25 + 0.3f * i + 0.2f * k;
                }
            }
        }
        float[] out = HighPass.of(new FloatGrid(GRID, v), 6).values();
        // radius 6 mm: 3 voxels in x and y, 2 in z, twice: 6 and 4 voxels from the ends the box is whole
        for (int k = 4; k < 16; k++) {
            for (int j = 6; j < 24; j++) {
                for (int i = 6; i < 34; i++) {
                    assertEquals(0, out[i + 40 * (j + 30 * k)], 1e-4, "at " + i + ", " + j + ", " + k);
                }
            }
        }
    }

    @Test
    void aSmallStructureKeepsMostOfItsContrastAndTheRestSumsToNothingAroundIt() {
        float[] v = new float[(int) GRID.voxelCount()];
        java.util.Arrays.fill(v, 30);
        int centre = 20 + 40 * (15 + 30 * 10);
        v[centre] = 40;
        float[] out = HighPass.of(new FloatGrid(GRID, v), 6).values();
        assertTrue(out[centre] > 9.9, "the structure keeps " + out[centre] + " of its 10 HU");
        double sum = 0;
        for (float x : out) {
            sum += x;
        }
        assertEquals(0, sum, 1e-3, "away from the ends the local mean takes exactly what the image has");
        assertEquals(0, HighPass.of(new FloatGrid(GRID, v), 0).values()[0] - 30, 0, "radius 0 leaves the image as it is");
    }
}
