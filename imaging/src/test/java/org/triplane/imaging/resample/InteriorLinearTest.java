package org.triplane.imaging.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The interior stretch of linear rows ({@link InteriorLinear}): a plain trilinear interpolation of
 * the rotated scan, computed here voxel by voxel from the grids' own index ↔ LPS maps, and the same
 * numbers bit for bit whether the input takes the int16 path or the general one.
 */
class InteriorLinearTest {
    /** Oblique grid, long enough rows (64) that every row has many touch strides. */
    private static final Geometry GRID = TestVolumes.oblique(64, 40, 18);
    private static final AffineTransform ROTATION = new AffineTransform(
            new EulerAngles(0.17, -0.1, 0.07).toMatrix(), GRID.centre(), new double[] {1.5, -2, 0.75});

    /** The same voxel values in another buffer type (all values must be representable). */
    private static Volume as(Volume v, DataType type) {
        Volume out = Volume.allocate(v.geometry(), type);
        for (int i = 0; i < v.voxels().length(); i++) {
            out.voxels().set(i, v.voxels().get(i));
        }
        return out;
    }

    private static double[] linear(Volume in, int threads) {
        Volume out = new Resampler(threads).resample(in, ROTATION, Interpolation.LINEAR, -1024, DataType.FLOAT64);
        return ((VoxelBuffer.Float64) out.voxels()).data;
    }

    @Test
    void interiorVoxelsAreThePlainTrilinearOfTheRotatedScan() {
        Volume in = TestVolumes.random(GRID, DataType.INT16, 21);
        double[] actual = linear(in, 2);
        int nx = GRID.nx();
        int ny = GRID.ny();
        int nz = GRID.nz();
        int checked = 0;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double[] c = GRID.physicalToIndex(ROTATION.apply(GRID.indexToPhysical(i, j, k)));
                    // why: stay clear of the interior's limits by a margin far above rounding, so
                    // that this independent position lands in the same cell as the resampler's
                    if (!(c[0] > 1e-6 && c[0] < nx - 1 - 1e-6 && c[1] > 1e-6 && c[1] < ny - 1 - 1e-6
                            && c[2] > 1e-6 && c[2] < nz - 1 - 1e-6)) {
                        continue;
                    }
                    int x0 = (int) Math.floor(c[0]);
                    int y0 = (int) Math.floor(c[1]);
                    int z0 = (int) Math.floor(c[2]);
                    double expected = 0;
                    for (int corner = 0; corner < 8; corner++) {
                        int ox = corner & 1;
                        int oy = (corner >> 1) & 1;
                        int oz = (corner >> 2) & 1;
                        double weight = (ox == 1 ? c[0] - x0 : 1 - (c[0] - x0))
                                * (oy == 1 ? c[1] - y0 : 1 - (c[1] - y0))
                                * (oz == 1 ? c[2] - z0 : 1 - (c[2] - z0));
                        expected += weight * in.get(x0 + ox, y0 + oy, z0 + oz);
                    }
                    int index = i + nx * (j + ny * k);
                    assertEquals(expected, actual[index], 1e-6, "voxel (" + i + ", " + j + ", " + k + ")");
                    checked++;
                }
            }
        }
        assertTrue(checked > GRID.voxelCount() / 3, "only " + checked + " interior voxels checked");
    }

    @Test
    void int16PathEqualsTheGeneralPathBitForBit() {
        Volume shorts = TestVolumes.random(GRID, DataType.INT16, 22);
        // why: int32 holds the same integers but has no dedicated path, so it exercises the general one
        assertArrayEquals(linear(as(shorts, DataType.INT32), 1), linear(shorts, 1), 0);
        assertArrayEquals(linear(shorts, 1), linear(shorts, 3), 0);
    }

    @Test
    void floatInputsGiveTheSameNumbersWhateverTheirWidth() {
        Volume floats = TestVolumes.random(GRID, DataType.FLOAT32, 23);
        assertArrayEquals(linear(floats, 2), linear(as(floats, DataType.FLOAT64), 2), 0);
    }
}
