package org.triplane.gateway.report;

import org.triplane.imaging.volume.Geometry;

/**
 * How many labelled voxels (label ≥ 1) each slice across each grid axis holds, counted from the
 * label volume's voxels in file order (x fastest) one run at a time, so that the volume itself is
 * never held.
 */
public final class LabelledPerSlice {
    private final int nx;
    private final int ny;
    private final long[][] counts;

    /** @param grid the label volume's grid */
    public LabelledPerSlice(Geometry grid) {
        this.nx = grid.nx();
        this.ny = grid.ny();
        this.counts = new long[][] {new long[grid.nx()], new long[grid.ny()], new long[grid.nz()]};
    }

    /**
     * @param first  linear index {@code i + nx·(j + ny·k)} of {@code values[0]}
     * @param values label values
     * @param count  how many of them to take
     */
    public void add(long first, double[] values, int count) {
        int i = (int) (first % nx);
        long rest = first / nx;
        int j = (int) (rest % ny);
        int k = (int) (rest / ny);
        for (int n = 0; n < count; n++) {
            if (values[n] > 0.5) {
                counts[0][i]++;
                counts[1][j]++;
                counts[2][k]++;
            }
            if (++i == nx) {
                i = 0;
                if (++j == ny) {
                    j = 0;
                    k++;
                }
            }
        }
    }

    /** @param axis grid axis 0 (i), 1 (j) or 2 (k) @return labelled voxels per slice across it */
    long[] along(int axis) {
        return counts[axis];
    }
}
