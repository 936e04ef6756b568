package org.triplane.imaging.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class ResamplerTest {
    private static final Resampler ONE = new Resampler(1);

    /** 3×2×2 grid, unit spacing, values 1..12 in x-fastest order. */
    private static Volume tiny() {
        Volume v = Volume.allocate(Geometry.axisAligned(3, 2, 2, new double[] {1, 1, 1}, new double[3]), DataType.INT16);
        for (int i = 0; i < 12; i++) {
            v.voxels().set(i, i + 1);
        }
        return v;
    }

    private static AffineTransform shift(double x, double y, double z) {
        return new AffineTransform(Matrix3.identity(), new double[3], new double[] {x, y, z});
    }

    private static double[] values(Volume v) {
        double[] out = new double[v.voxels().length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.voxels().get(i);
        }
        return out;
    }

    @Test
    void identityReproducesTheInput() {
        assertArrayEquals(values(tiny()), values(ONE.resample(tiny(), AffineTransform.identity(), Interpolation.LINEAR, -99, DataType.FLOAT32)), 0);
    }

    @Test
    void wholeVoxelShiftMovesValuesAndFillsTheDefault() {
        // out(i) = in(i + 1) along x; the last column samples x = 3, outside [−0.5, 2.5)
        double[] expected = {2, 3, -99, 5, 6, -99, 8, 9, -99, 11, 12, -99};
        assertArrayEquals(expected, values(ONE.resample(tiny(), shift(1, 0, 0), Interpolation.LINEAR, -99, DataType.FLOAT32)), 0);
    }

    @Test
    void halfVoxelShiftAveragesNeighboursAndClampsAtTheEdge() {
        // x + 0.5: (1+2)/2, (2+3)/2, then x = 2.5 is outside; along y + 0.25 mixes rows 0 and 1 by 3:1
        double[] lin = values(ONE.resample(tiny(), shift(0.5, 0, 0), Interpolation.LINEAR, 0, DataType.FLOAT32));
        assertArrayEquals(new double[] {1.5, 2.5, 0, 4.5, 5.5, 0, 7.5, 8.5, 0, 10.5, 11.5, 0}, lin, 1e-6);
        double[] y = values(ONE.resample(tiny(), shift(0, 0.25, 0), Interpolation.LINEAR, 0, DataType.FLOAT32));
        // row 0: 0.75·row0 + 0.25·row1 = v + 0.75; row 1 at y = 1.25 clamps to row 1
        assertArrayEquals(new double[] {1.75, 2.75, 3.75, 4, 5, 6, 7.75, 8.75, 9.75, 10, 11, 12}, y, 1e-6);
    }

    @Test
    void justInsideTheLowerHalfVoxelTakesTheEdgeValueWithoutExtrapolating() {
        double[] v = values(ONE.resample(tiny(), shift(-0.5, 0, 0), Interpolation.LINEAR, 0, DataType.FLOAT32));
        // x − 0.5: index −0.5 is inside and equals voxel 0; 0.5 and 1.5 interpolate
        assertArrayEquals(new double[] {1, 1.5, 2.5}, new double[] {v[0], v[1], v[2]}, 1e-6);
    }

    @Test
    void nearestRoundsHalfUp() {
        double[] v = values(ONE.resample(tiny(), shift(0.5, 0, 0), Interpolation.NEAREST, 0, DataType.INT16));
        assertArrayEquals(new double[] {2, 3, 0}, new double[] {v[0], v[1], v[2]}, 0);
        double[] w = values(ONE.resample(tiny(), shift(0.49, 0, 0), Interpolation.NEAREST, 0, DataType.INT16));
        assertArrayEquals(new double[] {1, 2, 3}, new double[] {w[0], w[1], w[2]}, 0);
    }

    @Test
    void integerOutputsClampThenTruncate() {
        Volume v = Volume.allocate(Geometry.axisAligned(2, 1, 1, new double[] {1, 1, 1}, new double[3]), DataType.FLOAT32);
        v.voxels().set(0, 300.9);
        v.voxels().set(1, -2.7);
        Volume out = ONE.resample(v, AffineTransform.identity(), Interpolation.LINEAR, 0, DataType.UINT8);
        assertArrayEquals(new double[] {255, 0}, values(out), 0);
        Volume s = ONE.resample(v, AffineTransform.identity(), Interpolation.LINEAR, 0, DataType.INT16);
        assertArrayEquals(new double[] {300, -2}, values(s), 0);
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Geometry g = TestVolumes.oblique(37, 29, 17);
        Volume in = TestVolumes.random(g, DataType.INT16, 11);
        AffineTransform t = new AffineTransform(new EulerAngles(0.15, -0.1, 0.2).toMatrix(), g.centre(), new double[] {2, -1, 3});
        float[] one = ((VoxelBuffer.Float32) new Resampler(1).resample(in, t, Interpolation.LINEAR, -1024, DataType.FLOAT32).voxels()).data;
        float[] three = ((VoxelBuffer.Float32) new Resampler(3).resample(in, t, Interpolation.LINEAR, -1024, DataType.FLOAT32).voxels()).data;
        assertArrayEquals(one, three);
    }

    @Test
    void nearestRowsNameTheVoxelsNearestNeighbourResamplingReads() {
        Geometry source = TestVolumes.oblique(37, 29, 17);
        // every voxel holds its own index, so the resampled values are the voxels read
        Volume in = Volume.allocate(source, DataType.INT32);
        for (int v = 0; v < in.voxels().length(); v++) {
            in.voxels().set(v, v);
        }
        double[] c = source.centre();
        // a finer, turned grid over the source's centre, reaching past its edges
        Geometry grid = new Geometry(45, 33, 21, new double[] {0.9, 1.1, 1.3},
                new double[] {c[0] - 0.9 * 22, c[1] - 1.1 * 16, c[2] - 1.3 * 10}, new EulerAngles(0.1, 0.05, -0.2).toMatrix());
        AffineTransform t = new AffineTransform(new EulerAngles(0.15, -0.1, 0.2).toMatrix(), source.centre(),
                new double[] {2.5, -1.5, 3});
        int[] expected = new int[grid.nx() * grid.ny() * grid.nz()];
        new Resampler(1).resampleRows(in, grid, t, Interpolation.NEAREST, -1, (offset, values, n) -> {
            for (int i = 0; i < n; i++) {
                expected[offset + i] = (int) values[i];
            }
        });
        int[] actual = new int[expected.length];
        new Resampler(3).nearestRows(source, grid, t, (offset, sourceIndex, n) -> System.arraycopy(sourceIndex, 0, actual, offset, n));
        assertArrayEquals(expected, actual);
        long outside = java.util.Arrays.stream(actual).filter(v -> v < 0).count();
        assertTrue(outside > 0 && outside < actual.length / 2, outside + " of " + actual.length + " voxels outside");
    }

    @Test
    void rotateAndWindowEqualsWindowingTheFloatResult() {
        Geometry g = TestVolumes.oblique(31, 23, 13);
        Volume in = TestVolumes.random(g, DataType.INT16, 12);
        AffineTransform t = new AffineTransform(new EulerAngles(0.1, 0.05, -0.2).toMatrix(), g.centre(), new double[] {4, 0, -3});
        Resampler r = new Resampler(2);
        Volume floats = r.resample(in, t, Interpolation.LINEAR, Window.AIR_HU, DataType.FLOAT32);
        Volume bytes = new WindowedRotation(r).apply(in, t, Window.STUDY);
        for (int i = 0; i < floats.voxels().length(); i++) {
            double hu = floats.voxels().get(i);
            int expected = hu >= -124 && hu <= 130 ? (int) Math.floor(hu + 124 + 0.5) : 0;
            assertEquals(expected, (int) bytes.voxels().get(i), "voxel " + i + " at " + hu + " HU");
        }
    }

    @Test
    void studyWindowMapsItsEndsToZeroAnd254() {
        assertEquals(0, Window.STUDY.toByte(-124));
        assertEquals(254, Window.STUDY.toByte(130));
        assertEquals(0, Window.STUDY.toByte(131));
        assertEquals(0, Window.STUDY.toByte(-1024));
        assertEquals(254, new Window(-124, 130, true).toByte(2000));
        assertEquals(154, Window.STUDY.toByte(30));
    }
}
