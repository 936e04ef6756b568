package org.triplane.imaging.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/** Every voxel of small anisotropic grids against the brute-force minimum over the mask's voxels. */
class DistanceMapTest {

    @Test
    void everyVoxelMatchesTheBruteForceDistance() {
        check(new int[] {9, 7, 5}, new double[] {0.7, 1.1, 2.5}, new int[][] {{0, 0, 0}, {6, 3, 4}, {8, 6, 2}});
        check(new int[] {12, 4, 6}, new double[] {1, 1, 1}, new int[][] {{5, 2, 3}});
        // a solid block: inside 0, outside the distance to its nearest face, edge or corner
        int[][] block = new int[27][];
        int b = 0;
        for (int k = 2; k <= 4; k++) {
            for (int j = 2; j <= 4; j++) {
                for (int i = 2; i <= 4; i++) {
                    block[b++] = new int[] {i, j, k};
                }
            }
        }
        check(new int[] {8, 9, 7}, new double[] {0.5, 0.9, 1.6}, block);
    }

    @Test
    void farVoxelsSaturate() {
        Geometry g = Geometry.axisAligned(300, 1, 1, new double[] {1, 1, 1}, new double[3]);
        Volume mask = Volume.allocate(g, DataType.UINT8);
        mask.voxels().set(0, 1);
        Volume d = DistanceMap.of(mask);
        assertEquals(40, d.voxels().get(10), "10 mm in quarter millimetres");
        assertEquals(DistanceMap.FAR, d.voxels().get(64), "64 mm is past the 63.75 mm the byte holds");
        assertEquals(DistanceMap.FAR, d.voxels().get(299));
    }

    private static void check(int[] n, double[] spacing, int[][] inside) {
        Geometry g = Geometry.axisAligned(n[0], n[1], n[2], spacing, new double[] {3, -2, 7});
        Volume mask = Volume.allocate(g, DataType.UINT8);
        for (int[] v : inside) {
            mask.voxels().set(v[0] + n[0] * (v[1] + n[1] * v[2]), 1);
        }
        Volume d = DistanceMap.of(mask);
        int idx = 0;
        for (int k = 0; k < n[2]; k++) {
            for (int j = 0; j < n[1]; j++) {
                for (int i = 0; i < n[0]; i++, idx++) {
                    double best = Double.MAX_VALUE;
                    for (int[] v : inside) {
                        double dx = (i - v[0]) * spacing[0];
                        double dy = (j - v[1]) * spacing[1];
                        double dz = (k - v[2]) * spacing[2];
                        best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
                    }
                    // a distance right between two quarter millimetres may round either way in single precision
                    assertEquals(Math.round(best / 0.25), d.voxels().get(idx), 1, "voxel " + i + "," + j + "," + k);
                }
            }
        }
    }
}
