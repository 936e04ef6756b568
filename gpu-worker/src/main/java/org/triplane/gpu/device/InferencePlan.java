package org.triplane.gpu.device;

import ai.djl.Device;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.triplane.segmentation.infer.BatchSizing;
import org.triplane.segmentation.infer.InferenceMemory;
import org.triplane.segmentation.infer.Precision;
import org.triplane.segmentation.model.UNetConfig;

/**
 * How this worker runs inference on its device: the precision of the convolutions (decided once) and
 * the slices per forward pass (on the CPU the configured number; on a GPU chosen per task from the
 * memory free then, {@link BatchSizing}, with the network's and slice's bytes per slice,
 * {@link InferenceMemory}).
 */
public final class InferencePlan {
    private final Device device;
    private final Precision precision;
    private final int cpuBatchSize;
    private final int maxBatchSize;
    private final ToLongFunction<Device> freeMemory;
    private volatile int lastBatchSize;

    /**
     * @param freeMemory the device's free memory in bytes when asked (GPUs only)
     */
    public InferencePlan(Device device, Precision precision, int cpuBatchSize, int maxBatchSize,
                         ToLongFunction<Device> freeMemory) {
        if (cpuBatchSize < 1 || maxBatchSize < 1) {
            throw new IllegalArgumentException("triplane.gpu.batch-size and max-batch-size must be >= 1, got " + cpuBatchSize
                    + " and " + maxBatchSize);
        }
        this.device = device;
        this.precision = precision;
        this.cpuBatchSize = cpuBatchSize;
        this.maxBatchSize = maxBatchSize;
        this.freeMemory = freeMemory;
        this.lastBatchSize = device.isGpu() ? 0 : cpuBatchSize;
    }

    public Precision precision() {
        return precision;
    }

    /** Slices per forward pass for {@code config}'s network on padded slices of {@code height × width}. */
    public int batchSize(UNetConfig config, int height, int width) {
        int n = device.isGpu()
                ? BatchSizing.fromFreeMemory(freeMemory.applyAsLong(device),
                        InferenceMemory.bytesPerSlice(config, height, width, precision), maxBatchSize)
                : cpuBatchSize;
        lastBatchSize = n;
        return n;
    }

    /**
     * For the health output: {@code precision}, {@code batchSize} (on a GPU the last one chosen, 0 before
     * the first task) and {@code batchSizeRule}.
     */
    public Map<String, Object> healthData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("precision", precision.wireName());
        data.put("batchSize", lastBatchSize);
        data.put("batchSizeRule", device.isGpu()
                ? "free device memory, at most " + maxBatchSize + " (triplane.gpu.max-batch-size)"
                : "configured (triplane.gpu.batch-size)");
        return data;
    }
}
