package org.triplane.imaging.resample;

import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Fills one output row from the input, given the row's continuous-index end points. One instance
 * per thread. Values are computed in double, as ITK's interpolators do.
 */
final class RowKernel {
    private final VoxelBuffer src;
    private final int nx;
    private final int ny;
    private final int nz;
    private final int sliceStride;
    private final boolean nearest;
    private final double defaultValue;
    private final double hiX;
    private final double hiY;
    private final double hiZ;

    RowKernel(Volume in, Interpolation interpolation, double defaultValue) {
        Geometry g = in.geometry();
        this.src = in.voxels();
        this.nx = g.nx();
        this.ny = g.ny();
        this.nz = g.nz();
        this.sliceStride = nx * ny;
        this.nearest = interpolation == Interpolation.NEAREST;
        this.defaultValue = defaultValue;
        this.hiX = nx - 0.5;
        this.hiY = ny - 0.5;
        this.hiZ = nz - 0.5;
    }

    void fill(double[] start, double[] end, double[] row) {
        int n = row.length;
        double sx = start[0], sy = start[1], sz = start[2];
        double dx = end[0] - sx, dy = end[1] - sy, dz = end[2] - sz;
        double size = n;
        for (int i = 0; i < n; i++) {
            double alpha = i / size;
            double x = sx + alpha * dx;
            double y = sy + alpha * dy;
            double z = sz + alpha * dz;
            // why: written as !(a && b) so that NaN indices count as outside, as in ITK
            if (!(x >= -0.5 && x < hiX && y >= -0.5 && y < hiY && z >= -0.5 && z < hiZ)) {
                row[i] = defaultValue;
            } else if (nearest) {
                row[i] = src.get(roundHalfUp(x) + nx * roundHalfUp(y) + sliceStride * roundHalfUp(z));
            } else {
                row[i] = linear(x, y, z);
            }
        }
    }

    /** ITK's {@code Math::RoundHalfIntegerUp}: {@code round-half-even(2x + 0.5) >> 1}. */
    private static int roundHalfUp(double x) {
        return ((int) Math.rint(2 * x + 0.5)) >> 1;
    }

    private double linear(double x, double y, double z) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        if (x0 < 0) {
            x0 = 0;
        }
        if (y0 < 0) {
            y0 = 0;
        }
        if (z0 < 0) {
            z0 = 0;
        }
        // why: ITK skips a neighbour whose distance is ≤ 0 and clamps the +1 neighbour at the edge;
        // a zero weight and a repeated voxel give the very same numbers
        double fx = Math.max(0.0, x - x0);
        double fy = Math.max(0.0, y - y0);
        double fz = Math.max(0.0, z - z0);
        int sx1 = x0 + 1 < nx ? 1 : 0;
        int sy1 = y0 + 1 < ny ? nx : 0;
        int sz1 = z0 + 1 < nz ? sliceStride : 0;
        int i000 = x0 + nx * y0 + sliceStride * z0;
        double v000 = src.get(i000);
        double v100 = src.get(i000 + sx1);
        double v010 = src.get(i000 + sy1);
        double v110 = src.get(i000 + sy1 + sx1);
        double v001 = src.get(i000 + sz1);
        double v101 = src.get(i000 + sz1 + sx1);
        double v011 = src.get(i000 + sz1 + sy1);
        double v111 = src.get(i000 + sz1 + sy1 + sx1);
        double vx00 = v000 + (v100 - v000) * fx;
        double vx10 = v010 + (v110 - v010) * fx;
        double vxx0 = vx00 + (vx10 - vx00) * fy;
        double vx01 = v001 + (v101 - v001) * fx;
        double vx11 = v011 + (v111 - v011) * fx;
        double vxx1 = vx01 + (vx11 - vx01) * fy;
        return vxx0 + (vxx1 - vxx0) * fz;
    }
}
