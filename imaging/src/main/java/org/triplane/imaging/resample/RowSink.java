package org.triplane.imaging.resample;

/**
 * Receives resampled output rows (x fastest). Called concurrently from several threads, each call
 * for a different row, so an implementation may write into a shared array without locking.
 */
@FunctionalInterface
public interface RowSink {
    /**
     * @param offset linear index ({@code i + nx·(j + ny·k)}) of the row's first voxel, {@code i = 0}
     * @param values the row's values in input units; out-of-field voxels hold the default value
     * @param n      number of values (the output's {@code nx})
     */
    void accept(int offset, double[] values, int n);
}
