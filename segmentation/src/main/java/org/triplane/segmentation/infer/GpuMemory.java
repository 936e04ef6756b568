package org.triplane.segmentation.infer;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;

/**
 * A GPU's free memory, asked of the CUDA runtime ({@code cudaMemGetInfo}, through DJL's
 * {@code CudaUtils.getGpuMemory}, the same in DJL 0.33 and 0.36: used = total − free, max = total).
 */
public final class GpuMemory {
    private GpuMemory() {
    }

    /**
     * Free bytes on {@code device}, after libtorch has handed its cached blocks back. Why empty the cache
     * first: libtorch keeps the memory of finished batches for the next ones, and CUDA counts it as
     * used; asked without emptying, each task would see the last task's batches as taken and choose a
     * smaller batch. Between tasks no batch tensor is alive, so nothing in use is lost.
     */
    public static long free(Device device) {
        JniUtils.emptyCudaCache();
        MemoryUsage usage = CudaUtils.getGpuMemory(device);
        return usage.getMax() - usage.getUsed();
    }
}
