package org.triplane.gateway.report;

import java.util.Arrays;
import java.util.List;
import org.triplane.imaging.volume.Geometry;

/**
 * The CT values and labels of the chosen slices only, filled from the two volumes' voxels in file
 * order (x fastest) one run at a time: the report draws a thin-slice scan from a few MB instead of
 * the whole volume. A slice across grid axis a at index s keeps every voxel whose a-th index is s,
 * indexed by the other two (the lower axis fastest).
 */
final class SliceSlabs implements OverlayRenderer.OverlayVoxels {
    private final int[] dims;
    /** Per grid axis and index along it: which slab holds that slice, or −1. */
    private final int[][] slabAt;
    private final float[][] hu;
    private final byte[][] labels;

    SliceSlabs(Geometry grid, List<OverlayRenderer.SliceChoice> choices) {
        this.dims = grid.dims();
        this.slabAt = new int[3][];
        for (int a = 0; a < 3; a++) {
            slabAt[a] = new int[dims[a]];
            Arrays.fill(slabAt[a], -1);
        }
        int[] axes = new int[choices.size()];
        int slabs = 0;
        for (OverlayRenderer.SliceChoice c : choices) {
            if (slabAt[c.voxelAxis()][c.slice()] < 0) {
                axes[slabs] = c.voxelAxis();
                slabAt[c.voxelAxis()][c.slice()] = slabs++;
            }
        }
        this.hu = new float[slabs][];
        this.labels = new byte[slabs][];
        for (int s = 0; s < slabs; s++) {
            int size = Math.multiplyExact(dims[first(axes[s])], dims[second(axes[s])]);
            hu[s] = new float[size];
            labels[s] = new byte[size];
        }
    }

    /** Takes a run of CT values (HU); arguments as {@code NiftiVoxelStream.Sink}. */
    void addHu(long first, double[] values, int count) {
        forEachKept(first, count, (slab, at, n) -> hu[slab][at] = (float) values[n]);
    }

    /** Takes a run of label values 0..20; arguments as {@code NiftiVoxelStream.Sink}. */
    void addLabels(long first, double[] values, int count) {
        forEachKept(first, count, (slab, at, n) -> labels[slab][at] = (byte) Math.round(values[n]));
    }

    @Override
    public double hu(int i, int j, int k) {
        long at = locate(i, j, k);
        return hu[(int) (at >>> 32)][(int) at];
    }

    @Override
    public int label(int i, int j, int k) {
        long at = locate(i, j, k);
        return labels[(int) (at >>> 32)][(int) at];
    }

    @FunctionalInterface
    private interface Kept {
        void take(int slab, int at, int n);
    }

    private void forEachKept(long first, int count, Kept kept) {
        int[] v = {(int) (first % dims[0]), (int) (first / dims[0] % dims[1]), (int) (first / dims[0] / dims[1])};
        for (int n = 0; n < count; n++) {
            for (int a = 0; a < 3; a++) {
                int slab = slabAt[a][v[a]];
                if (slab >= 0) {
                    kept.take(slab, v[first(a)] + dims[first(a)] * v[second(a)], n);
                }
            }
            if (++v[0] == dims[0]) {
                v[0] = 0;
                if (++v[1] == dims[1]) {
                    v[1] = 0;
                    v[2]++;
                }
            }
        }
    }

    /** @return the slab holding voxel (i, j, k) in the upper 32 bits, its index in the slab in the lower */
    private long locate(int i, int j, int k) {
        if (slabAt[2][k] >= 0) {
            return (long) slabAt[2][k] << 32 | (i + dims[0] * j);
        }
        if (slabAt[1][j] >= 0) {
            return (long) slabAt[1][j] << 32 | (i + dims[0] * k);
        }
        if (slabAt[0][i] >= 0) {
            return (long) slabAt[0][i] << 32 | (j + dims[1] * k);
        }
        throw new IllegalArgumentException("voxel (" + i + ", " + j + ", " + k + ") lies on no kept slice");
    }

    /** The lower of the two grid axes other than {@code a}. */
    private static int first(int a) {
        return a == 0 ? 1 : 0;
    }

    /** The higher of the two grid axes other than {@code a}. */
    private static int second(int a) {
        return a == 2 ? 1 : 2;
    }
}
