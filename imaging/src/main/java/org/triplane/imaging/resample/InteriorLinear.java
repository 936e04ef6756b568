package org.triplane.imaging.resample;

import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Trilinear interpolation of the interior stretch of one output row: the voxels whose eight
 * neighbours all lie inside the input (continuous index {@code 0 ≤ c < size − 1} on every axis),
 * so no edge handling is needed. Holds one row's stretch between {@link #plan} and {@link #fill};
 * owned by one thread. The input is x fastest ({@code x + nx·(y + ny·z)}, voxel order as read
 * from NIfTI).
 *
 * <p>Bit-identical to the per-voxel form: each voxel's continuous index is still
 * {@code start + (i / nx)·(end − start)} and the interpolation is ITK's nested order in double.
 * Only the order of the work differs, in three passes over the stretch:
 * <ol>
 *   <li>positions ({@link #plan}): each voxel's cell (linear index of its lower corner) and its
 *       three fractions;</li>
 *   <li>touch ({@link #plan}): one independent read of the four cache lines of every 8th cell;</li>
 *   <li>gather ({@link #fill}): the eight neighbours and the nested interpolation.</li>
 * </ol>
 * Why: a rotated row walks across input rows and slices, where the hardware prefetcher cannot
 * follow, and in a one-pass loop each cache miss stalls behind a whole voxel's arithmetic, so few
 * misses are in flight at once (the input reads cost more than the arithmetic there). The touch
 * pass issues a row's misses back to back, a few instructions per read, so they overlap; and as
 * {@link Resampler} plans the next row before it fills the current one, they arrive while the
 * current row is being computed.
 */
final class InteriorLinear {
    /** Cells between two touches: a cache line holds 32 int16 voxels and a rotated row advances about one voxel in x per step. */
    private static final int TOUCH_STRIDE = 8;

    private final VoxelBuffer src;
    /**
     * The int16 voxels when the input is int16 (the study's CT), read directly; null otherwise.
     * Why: a plain array read stays cheap even where other voxel types have made
     * {@code VoxelBuffer.get} polymorphic (and no longer inlined) at the general loop's call site.
     */
    private final short[] shorts;
    private final int nx;
    private final int sliceStride;
    private final double[] alpha;
    private final int[] cell;
    private final double[] fx;
    private final double[] fy;
    private final double[] fz;
    /**
     * Sum of the touched voxels, kept so that the compiler cannot drop the touch reads as dead
     * code; its value means nothing.
     */
    private int touched;

    /** Start of the planned stretch. */
    private int from;
    /** End (exclusive) of the planned stretch. */
    private int to;

    /**
     * @param src   the input voxels, x fastest
     * @param nx    the input's x size
     * @param ny    the input's y size
     * @param alpha {@code i / outputNx} for every output i, shared with the caller so that both
     *              evaluate the very same positions
     */
    InteriorLinear(VoxelBuffer src, int nx, int ny, double[] alpha) {
        this.src = src;
        this.shorts = src instanceof VoxelBuffer.Int16 s ? s.data : null;
        this.nx = nx;
        this.sliceStride = nx * ny;
        this.alpha = alpha;
        int n = alpha.length;
        this.cell = new int[n];
        this.fx = new double[n];
        this.fy = new double[n];
        this.fz = new double[n];
    }

    /** An empty stretch. */
    void clear() {
        from = 0;
        to = 0;
    }

    /**
     * Plans {@code [from, to)}; the caller guarantees that every voxel there is interior.
     * (sx, sy, sz) is the row's continuous index at i = 0 and (dx, dy, dz) the change from i = 0
     * to i = nx.
     */
    void plan(double sx, double sy, double sz, double dx, double dy, double dz, int from, int to) {
        this.from = from;
        this.to = Math.max(from, to);
        if (to <= from) {
            return;
        }
        positions(sx, sy, sz, dx, dy, dz, from, to);
        touch(from, to);
    }

    /** Writes the planned stretch into {@code row}. */
    void fill(double[] row) {
        if (to <= from) {
            return;
        }
        if (shorts != null) {
            gatherShorts(from, to, row);
        } else {
            gatherAny(from, to, row);
        }
    }

    private void positions(double sx, double sy, double sz, double dx, double dy, double dz, int from, int to) {
        final double[] a = alpha;
        final int[] c = cell;
        final double[] px = fx;
        final double[] py = fy;
        final double[] pz = fz;
        final int w = nx;
        final int ss = sliceStride;
        for (int i = from; i < to; i++) {
            double ai = a[i];
            double x = sx + ai * dx;
            double y = sy + ai * dy;
            double z = sz + ai * dz;
            // why: interior indices are ≥ 0, so truncation is floor
            int x0 = (int) x;
            int y0 = (int) y;
            int z0 = (int) z;
            px[i] = x - x0;
            py[i] = y - y0;
            pz[i] = z - z0;
            c[i] = x0 + w * y0 + ss * z0;
        }
    }

    private void touch(int from, int to) {
        final int[] c = cell;
        final int w = nx;
        final int ss = sliceStride;
        int sum = 0;
        if (shorts != null) {
            final short[] s = shorts;
            for (int i = from; i < to; i += TOUCH_STRIDE) {
                int p = c[i];
                sum += s[p] + s[p + w] + s[p + ss] + s[p + ss + w];
            }
            // why: the last cell too, so that the row's end is fetched as well
            int p = c[to - 1];
            sum += s[p] + s[p + w] + s[p + ss] + s[p + ss + w];
        } else {
            final VoxelBuffer s = src;
            for (int i = from; i < to; i += TOUCH_STRIDE) {
                int p = c[i];
                sum += (int) (s.get(p) + s.get(p + w) + s.get(p + ss) + s.get(p + ss + w));
            }
        }
        touched += sum;
    }

    private void gatherShorts(int from, int to, double[] row) {
        final short[] s = shorts;
        final int[] c = cell;
        final double[] px = fx;
        final double[] py = fy;
        final double[] pz = fz;
        final int w = nx;
        final int ss = sliceStride;
        for (int i = from; i < to; i++) {
            int p = c[i];
            int q = p + ss;
            row[i] = nested(s[p], s[p + 1], s[p + w], s[p + w + 1],
                    s[q], s[q + 1], s[q + w], s[q + w + 1], px[i], py[i], pz[i]);
        }
    }

    private void gatherAny(int from, int to, double[] row) {
        final VoxelBuffer s = src;
        final int[] c = cell;
        final int w = nx;
        final int ss = sliceStride;
        for (int i = from; i < to; i++) {
            int p = c[i];
            int q = p + ss;
            row[i] = nested(s.get(p), s.get(p + 1), s.get(p + w), s.get(p + w + 1),
                    s.get(q), s.get(q + 1), s.get(q + w), s.get(q + w + 1), fx[i], fy[i], fz[i]);
        }
    }

    /**
     * ITK's nested linear interpolation of a cell's eight corners (v_xyz, 0 = lower, 1 = upper):
     * along x, then y, then z, in this order so that results equal ITK's bit for bit.
     */
    static double nested(double v000, double v100, double v010, double v110,
                                 double v001, double v101, double v011, double v111,
                                 double fx, double fy, double fz) {
        double vx00 = v000 + (v100 - v000) * fx;
        double vx10 = v010 + (v110 - v010) * fx;
        double vxx0 = vx00 + (vx10 - vx00) * fy;
        double vx01 = v001 + (v101 - v001) * fx;
        double vx11 = v011 + (v111 - v011) * fx;
        double vxx1 = vx01 + (vx11 - vx01) * fy;
        return vxx0 + (vxx1 - vxx0) * fz;
    }
}
