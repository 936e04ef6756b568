package org.triplane.imaging.mask;

import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Exact Euclidean distance (mm) from every voxel centre of a grid to the nearest voxel centre of
 * a binary mask, by the separable lower-envelope-of-parabolas method (one 1-D pass per axis, each
 * exact, so the result is the exact 3-D distance). Spacing is honoured per axis; the direction
 * does not matter (distances are taken along the grid's own orthonormal axes).
 */
final class DistanceMap {
    /** Stored distance unit: quarter millimetres. */
    static final double STEP_MM = 0.25;
    /** Stored value for 63.75 mm and farther. */
    static final int FAR = 255;
    /** Larger than any squared distance on a grid that fits in one array, small enough to stay exact in sums. */
    private static final double NONE = 1e12;

    private DistanceMap() {
    }

    /**
     * Distance to the nearest non-zero voxel of {@code mask}, as uint8 on the mask's grid (x
     * fastest) in units of {@link #STEP_MM} (rounded), {@link #FAR} at 63.75 mm and beyond; 0 inside
     * the mask. Holds one float per voxel while it runs.
     */
    static Volume of(Volume mask) {
        Geometry g = mask.geometry();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        double[] s = g.spacing();
        // why: float holds every squared distance of this grid exactly enough (integers below 2²⁴ at 1 mm) at half the memory
        float[] d = new float[nx * ny * nz];
        for (int i = 0; i < d.length; i++) {
            d[i] = mask.voxels().get(i) != 0 ? 0 : (float) NONE;
        }
        int longest = Math.max(nx, Math.max(ny, nz));
        double[] line = new double[longest];
        double[] out = new double[longest];
        int[] sites = new int[longest];
        double[] bounds = new double[longest + 1];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                pass(d, nx * (j + ny * k), 1, nx, s[0], line, out, sites, bounds);
            }
        }
        for (int k = 0; k < nz; k++) {
            for (int i = 0; i < nx; i++) {
                pass(d, i + nx * ny * k, nx, ny, s[1], line, out, sites, bounds);
            }
        }
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                pass(d, i + nx * j, nx * ny, nz, s[2], line, out, sites, bounds);
            }
        }
        Volume result = Volume.allocate(g, DataType.UINT8);
        byte[] r = ((VoxelBuffer.UInt8) result.voxels()).data;
        for (int i = 0; i < d.length; i++) {
            double steps = Math.sqrt(d[i]) / STEP_MM;
            r[i] = (byte) (steps >= FAR ? FAR : (int) Math.round(steps));
        }
        return result;
    }

    /**
     * One exact 1-D squared-distance pass along a line of {@code n} voxels at {@code spacing} mm:
     * {@code d(q) = min_v (x_q − x_v)² + f(v)}, the lower envelope of parabolas rooted at each
     * voxel.
     */
    private static void pass(float[] d, int start, int stride, int n, double spacing, double[] f, double[] out,
                             int[] sites, double[] bounds) {
        for (int q = 0; q < n; q++) {
            f[q] = d[start + q * stride];
        }
        int k = 0;
        sites[0] = 0;
        bounds[0] = Double.NEGATIVE_INFINITY;
        bounds[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = meet(f, sites[k], q, spacing);
            // why: bounds[0] is −∞, so the envelope never loses its first parabola
            while (s <= bounds[k]) {
                k--;
                s = meet(f, sites[k], q, spacing);
            }
            k++;
            sites[k] = q;
            bounds[k] = s;
            bounds[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            double xq = q * spacing;
            while (bounds[k + 1] < xq) {
                k++;
            }
            double dx = xq - sites[k] * spacing;
            out[q] = dx * dx + f[sites[k]];
        }
        for (int q = 0; q < n; q++) {
            d[start + q * stride] = (float) out[q];
        }
    }

    /** Position (mm) from which the parabola rooted at {@code q} lies below the one rooted at {@code v < q}. */
    private static double meet(double[] f, int v, int q, double spacing) {
        double xv = v * spacing;
        double xq = q * spacing;
        return ((f[q] + xq * xq) - (f[v] + xv * xv)) / (2 * (xq - xv));
    }
}
