package org.triplane.imaging.resample;

/**
 * One output row between {@link RowKernel#plan} and {@link RowKernel#fill}: the line its
 * continuous input indices follow, {@code (sx, sy, sz) + (i / nx)·(dx, dy, dz)}, the voxels inside
 * the input {@code [in0, in1)}, the interior ones {@code [c0, c1)} (linear only) and, for a linear
 * row, the interior's planned cells. Mutable and reused; owned by one thread.
 */
final class RowPlan {
    double sx;
    double sy;
    double sz;
    double dx;
    double dy;
    double dz;
    int in0;
    int in1;
    int c0;
    int c1;
    /** The interior stretch's cells and fractions; null for nearest-neighbour rows. */
    final InteriorLinear interior;

    RowPlan(InteriorLinear interior) {
        this.interior = interior;
    }
}
