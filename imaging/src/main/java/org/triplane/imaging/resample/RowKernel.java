package org.triplane.imaging.resample;

import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Fills one output row from the input, given the row's continuous-index end points, in two halves
 * ({@link #plan}, then {@link #fill}) so that a thread can plan its next row before it fills the
 * current one. One instance per thread. Values are computed in double, in ITK's order of operations, so results are
 * bit-identical to ITK's.
 *
 * <p>Speed: along a row each continuous index is a monotone function of i (a correctly rounded
 * {@code i / nx} times a constant, plus a constant), so the voxels inside the input form one
 * interval, and so do those whose eight neighbours are all inside. Both intervals are found by
 * binary search with the very same per-voxel arithmetic, and the interior runs without edge tests
 * ({@link InteriorLinear}).
 */
final class RowKernel {
    private final VoxelBuffer src;
    private final int nx;
    private final int ny;
    private final int nz;
    private final int sliceStride;
    private final boolean nearest;
    private final double defaultValue;
    /** {@code i / outputNx} for every i: the division ITK does per voxel, done once. */
    private final double[] alpha;
    /** Scratch for {@link #range}: [first, end) of an interval of i. */
    private final int[] r = new int[2];

    RowKernel(Volume in, int outputNx, Interpolation interpolation, double defaultValue) {
        this(in.geometry(), in.voxels(), outputNx, interpolation, defaultValue);
    }

    /** A nearest-neighbour kernel that only finds the input voxels ({@link #nearestIndices}) of an input on {@code g}. */
    RowKernel(Geometry g, int outputNx) {
        this(g, null, outputNx, Interpolation.NEAREST, 0);
    }

    private RowKernel(Geometry g, VoxelBuffer src, int outputNx, Interpolation interpolation, double defaultValue) {
        this.src = src;
        this.nx = g.nx();
        this.ny = g.ny();
        this.nz = g.nz();
        this.sliceStride = nx * ny;
        this.nearest = interpolation == Interpolation.NEAREST;
        this.defaultValue = defaultValue;
        this.alpha = new double[outputNx];
        for (int i = 0; i < outputNx; i++) {
            alpha[i] = i / (double) outputNx;
        }
    }

    /** A plan to reuse for any row of this kernel's output; each thread keeps two (see {@link Resampler}). */
    RowPlan newPlan() {
        return new RowPlan(nearest ? null : new InteriorLinear(src, nx, ny, alpha));
    }

    /**
     * First half of a row: its intervals and, for a linear row, the interior's cells, whose input
     * cache lines this starts fetching (see {@link InteriorLinear}). {@code start} and {@code end}
     * are the continuous input indices at output i = 0 and i = nx.
     */
    void plan(double[] start, double[] end, RowPlan p) {
        int n = alpha.length;
        double sx = start[0], sy = start[1], sz = start[2];
        double dx = end[0] - sx, dy = end[1] - sy, dz = end[2] - sz;
        p.sx = sx;
        p.sy = sy;
        p.sz = sz;
        p.dx = dx;
        p.dy = dy;
        p.dz = dz;
        p.in0 = 0;
        p.in1 = 0;
        p.c0 = 0;
        p.c1 = 0;
        if (p.interior != null) {
            p.interior.clear();
        }
        if (!(Double.isFinite(sx) && Double.isFinite(sy) && Double.isFinite(sz)
                && Double.isFinite(dx) && Double.isFinite(dy) && Double.isFinite(dz))) {
            return;
        }
        // inside: −0.5 ≤ index < size − 0.5 on every axis (ITK's IsInsideBuffer)
        intersect(sx, dx, sy, dy, sz, dz, -0.5, -0.5, n);
        int in0 = r[0];
        int in1 = r[1];
        if (in1 <= in0) {
            return;
        }
        p.in0 = in0;
        p.in1 = in1;
        if (nearest) {
            return;
        }
        // interior: 0 ≤ index < size − 1, so floor(index) and floor(index) + 1 are both in the image
        intersect(sx, dx, sy, dy, sz, dz, 0, -1, n);
        int c0 = Math.max(in0, r[0]);
        int c1 = Math.min(in1, r[1]);
        if (c1 <= c0) {
            c0 = in1;
            c1 = in1;
        }
        p.c0 = c0;
        p.c1 = c1;
        p.interior.plan(sx, sy, sz, dx, dy, dz, c0, c1);
    }

    /** Second half: the row's values from a plan made by {@link #plan}; outside voxels get the default. */
    void fill(RowPlan p, double[] row) {
        int n = row.length;
        double sx = p.sx, sy = p.sy, sz = p.sz;
        double dx = p.dx, dy = p.dy, dz = p.dz;
        int in0 = p.in0;
        int in1 = p.in1;
        java.util.Arrays.fill(row, 0, in0, defaultValue);
        java.util.Arrays.fill(row, in1, n, defaultValue);
        if (nearest) {
            for (int i = in0; i < in1; i++) {
                row[i] = src.get(nearestIndex(p, i));
            }
            return;
        }
        int c0 = p.c0;
        int c1 = p.c1;
        for (int i = in0; i < c0; i++) {
            double a = alpha[i];
            row[i] = edge(sx + a * dx, sy + a * dy, sz + a * dz);
        }
        p.interior.fill(row);
        for (int i = c1; i < in1; i++) {
            double a = alpha[i];
            row[i] = edge(sx + a * dx, sy + a * dy, sz + a * dz);
        }
    }

    /**
     * The input voxel each voxel of a row planned for nearest neighbour reads ({@link #fill}'s voxels), or −1
     * where it lies outside the input.
     */
    void nearestIndices(RowPlan p, int[] out) {
        java.util.Arrays.fill(out, 0, p.in0, -1);
        java.util.Arrays.fill(out, p.in1, out.length, -1);
        if (p.in1 <= p.in0) {
            return;
        }
        int last = p.in1 - 1;
        java.util.Arrays.fill(out, p.in0, p.in1, 0);
        runs(p.sx, p.dx, 1, p.in0, axisIndex(p.sx, p.dx, p.in0), last, axisIndex(p.sx, p.dx, last), out);
        runs(p.sy, p.dy, nx, p.in0, axisIndex(p.sy, p.dy, p.in0), last, axisIndex(p.sy, p.dy, last), out);
        runs(p.sz, p.dz, sliceStride, p.in0, axisIndex(p.sz, p.dz, p.in0), last, axisIndex(p.sz, p.dz, last), out);
    }

    /** The rounded index along one axis at voxel {@code i} of a row: {@link #nearestIndex}'s per-axis term. */
    private int axisIndex(double s, double d, int i) {
        return Rounding.halfIntegerUp(s + alpha[i] * d);
    }

    /**
     * Adds {@code stride ·} {@link #axisIndex} to {@code out[i]} for i in [lo, hi], given its values at both
     * ends. why not voxel by voxel: the index is monotone in i (a correctly rounded i / nx times a constant,
     * plus a constant, then rounded), so where both ends agree every voxel between them has that value; across
     * a row the slower axes change a few times only, and are found by halving.
     */
    private void runs(double s, double d, int stride, int lo, int atLo, int hi, int atHi, int[] out) {
        if (atLo == atHi) {
            int add = stride * atLo;
            for (int i = lo; i <= hi; i++) {
                out[i] += add;
            }
            return;
        }
        // why: where the index changes at most every other voxel, halving would evaluate more than the voxels
        if (2 * Math.abs(atHi - atLo) >= hi - lo) {
            for (int i = lo; i <= hi; i++) {
                out[i] += stride * axisIndex(s, d, i);
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        runs(s, d, stride, lo, atLo, mid, axisIndex(s, d, mid), out);
        runs(s, d, stride, mid + 1, axisIndex(s, d, mid + 1), hi, atHi, out);
    }

    /** The input voxel nearest to voxel {@code i} of a planned row, which lies inside the input. */
    private int nearestIndex(RowPlan p, int i) {
        double a = alpha[i];
        return Rounding.halfIntegerUp(p.sx + a * p.dx) + nx * Rounding.halfIntegerUp(p.sy + a * p.dy)
                + sliceStride * Rounding.halfIntegerUp(p.sz + a * p.dz);
    }

    /** Into {@link #r}: the i in [0, n) with {@code lo ≤ index < size + hiOffset} on all three axes. */
    private void intersect(double sx, double dx, double sy, double dy, double sz, double dz, double lo, double hiOffset, int n) {
        range(sx, dx, lo, nx + hiOffset, n, r);
        int first = r[0];
        int end = r[1];
        range(sy, dy, lo, ny + hiOffset, n, r);
        first = Math.max(first, r[0]);
        end = Math.min(end, r[1]);
        range(sz, dz, lo, nz + hiOffset, n, r);
        r[0] = Math.max(first, r[0]);
        r[1] = Math.min(end, r[1]);
    }

    /**
     * The i in [0, n) with {@code lo ≤ s + alpha[i]·d < hi}, as [r[0], r[1]); monotone in i, so an
     * interval found by two binary searches on the exact expression.
     */
    private void range(double s, double d, double lo, double hi, int n, int[] r) {
        if (d == 0) {
            boolean in = s >= lo && s < hi;
            r[0] = in ? 0 : n;
            r[1] = in ? n : 0;
            return;
        }
        if (d > 0) {
            r[0] = firstAtLeast(s, d, lo, n);
            r[1] = firstAtLeast(s, d, hi, n);
        } else {
            r[0] = firstBelow(s, d, hi, n);
            r[1] = firstBelow(s, d, lo, n);
        }
    }

    /** First i with s + alpha[i]·d ≥ v, for increasing positions (n when none). */
    private int firstAtLeast(double s, double d, double v, int n) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s + alpha[mid] * d >= v) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** First i with s + alpha[i]·d < v, for decreasing positions (n when none). */
    private int firstBelow(double s, double d, double v, int n) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s + alpha[mid] * d < v) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Trilinear near the border, as ITK's {@code LinearInterpolateImageFunction} handles it. */
    private double edge(double x, double y, double z) {
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
        return trilinear(src, i000, sx1, sy1, sz1, fx, fy, fz);
    }

    /**
     * ITK's nested interpolation: along x, then y, then z, each step {@code a + (b − a)·d}.
     * The +1 neighbours are {@code i000 + step}; a zero step repeats the voxel (edge clamping).
     */
    private static double trilinear(VoxelBuffer s, int i000, int stepX, int stepY, int stepZ, double fx, double fy, double fz) {
        double v000 = s.get(i000);
        double v100 = s.get(i000 + stepX);
        double v010 = s.get(i000 + stepY);
        double v110 = s.get(i000 + stepY + stepX);
        double v001 = s.get(i000 + stepZ);
        double v101 = s.get(i000 + stepZ + stepX);
        double v011 = s.get(i000 + stepZ + stepY);
        double v111 = s.get(i000 + stepZ + stepY + stepX);
        return InteriorLinear.nested(v000, v100, v010, v110, v001, v101, v011, v111, fx, fy, fz);
    }
}
