package org.triplane.imaging.registration;

import java.util.function.IntPredicate;

/**
 * Keeps the head and removes everything else a scan shows apart from it (the table, a headrest
 * standing off the head, tubing, a second object): the largest 26-connected body of voxels that
 * are mostly tissue (share above ½) plus the voxels touching it is kept; every other voxel with
 * tissue in it becomes air (the window's low bound, tissue share 0).
 *
 * <p>// why: the template has no table; a 20 mm slab of 200 HU under a synthetic head lowered the
 * final NCC from 0.99 to 0.74–0.79 and the scan was refused. Anything separated from the head by
 * air (even one voxel of the pyramid level) now stays out of the metric, the head centre and the
 * tissue volume.
 */
final class HeadIsolation {
    private HeadIsolation() {
    }

    /** {@code level} with only its largest body left; the input is not changed. */
    static PyramidLevel largestBody(PyramidLevel level, float air) {
        FloatGrid tissueGrid = level.tissue();
        int nx = tissueGrid.nx();
        int ny = tissueGrid.ny();
        int nz = tissueGrid.nz();
        float[] tissue = tissueGrid.values();
        int n = tissue.length;
        int[] component = new int[n];
        int[] queue = new int[n];
        int best = 0;
        int bestSize = 0;
        int label = 0;
        for (int seed = 0; seed < n; seed++) {
            if (tissue[seed] <= 0.5f || component[seed] != 0) {
                continue;
            }
            label++;
            int size = flood(seed, label, tissue, component, queue, nx, ny, nz);
            if (size > bestSize) {
                bestSize = size;
                best = label;
            }
        }
        float[] image = level.image().values().clone();
        float[] kept = tissue.clone();
        for (int idx = 0; idx < n; idx++) {
            if (kept[idx] <= 0 || component[idx] == best) {
                continue;
            }
            if (!touches(idx, best, component, nx, ny, nz)) {
                kept[idx] = 0;
                image[idx] = air;
            }
        }
        return new PyramidLevel(new FloatGrid(level.geometry(), image), new FloatGrid(level.geometry(), kept));
    }

    private static int flood(int seed, int label, float[] tissue, int[] component, int[] queue, int nx, int ny, int nz) {
        int head = 0;
        int[] tail = {0};
        queue[tail[0]++] = seed;
        component[seed] = label;
        while (head < tail[0]) {
            anyNeighbour(queue[head++], nx, ny, nz, o -> {
                if (component[o] == 0 && tissue[o] > 0.5f) {
                    component[o] = label;
                    queue[tail[0]++] = o;
                }
                return false;
            });
        }
        return tail[0];
    }

    private static boolean touches(int idx, int label, int[] component, int nx, int ny, int nz) {
        return anyNeighbour(idx, nx, ny, nz, o -> component[o] == label);
    }

    /**
     * Offers {@code visit} voxel {@code idx} and its up to 26 neighbours inside the grid (x fastest),
     * stopping at the first it accepts; whether one was accepted.
     */
    private static boolean anyNeighbour(int idx, int nx, int ny, int nz, IntPredicate visit) {
        int nxy = nx * ny;
        int i = idx % nx;
        int j = (idx / nx) % ny;
        int k = idx / nxy;
        for (int kk = Math.max(0, k - 1); kk <= Math.min(nz - 1, k + 1); kk++) {
            for (int jj = Math.max(0, j - 1); jj <= Math.min(ny - 1, j + 1); jj++) {
                for (int ii = Math.max(0, i - 1); ii <= Math.min(nx - 1, i + 1); ii++) {
                    if (visit.test(ii + nx * jj + nxy * kk)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
