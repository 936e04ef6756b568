package org.triplane.segmentation.infer;

import ai.djl.Device;
import org.triplane.segmentation.model.UNetConfig;

/**
 * How many slices go into one forward pass on a GPU: as many as fit into its free memory with
 * {@link #HEADROOM} left over, at least one, at most the configured ceiling.
 */
public final class BatchSizing {
    /**
     * Share of the free memory left unplanned. Why: the per-slice figure is an estimate of the tensors
     * a pass holds ({@link InferenceMemory}); cuDNN takes workspaces for
     * its convolution algorithms on top, and the caching allocator rounds and fragments blocks.
     */
    public static final double HEADROOM = 0.2;

    /** The gpu-worker's default ceiling ({@code triplane.gpu.max-batch-size}). */
    public static final int DEFAULT_CEILING = 64;

    private BatchSizing() {
    }

    /**
     * @param freeBytes     the device's free memory, bytes
     * @param bytesPerSlice what one slice takes at the peak of a pass, bytes
     * @param ceiling       the most slices per pass
     */
    public static int fromFreeMemory(long freeBytes, long bytesPerSlice, int ceiling) {
        if (bytesPerSlice < 1 || ceiling < 1) {
            throw new IllegalArgumentException("bytes per slice and ceiling must be positive, got " + bytesPerSlice
                    + " and " + ceiling);
        }
        long fits = (long) (Math.max(0, freeBytes) * (1 - HEADROOM)) / bytesPerSlice;
        return (int) Math.max(1, Math.min(ceiling, fits));
    }

    /**
     * The batch for {@code config}'s network on padded slices of {@code height × width} in
     * {@code precision} on {@code gpu}, from the memory free on it now ({@link GpuMemory#free}).
     */
    public static int onGpu(Device gpu, UNetConfig config, int height, int width, Precision precision, int ceiling) {
        if (!gpu.isGpu()) {
            throw new IllegalArgumentException("the batch is chosen from a GPU's free memory; " + Devices.describe(gpu)
                    + " is not a GPU: give a number");
        }
        return fromFreeMemory(GpuMemory.free(gpu), InferenceMemory.bytesPerSlice(config, height, width, precision), ceiling);
    }
}
