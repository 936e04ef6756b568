package org.triplane.imaging.resample;

/**
 * Receives the input voxels of nearest-neighbour output rows ({@link Resampler#nearestRows}), x fastest.
 * Called concurrently from several threads, each call for a different row, so an implementation may
 * write into a shared array without locking.
 */
@FunctionalInterface
public interface IndexRowSink {
    /**
     * @param offset linear index ({@code i + nx·(j + ny·k)}) of the row's first output voxel, {@code i = 0}
     * @param source per output voxel of the row, the linear index of the input voxel it takes, or −1 outside
     *               the input; reused for the next row once this returns
     * @param n      number of voxels (the output's {@code nx})
     */
    void accept(int offset, int[] source, int n);
}
