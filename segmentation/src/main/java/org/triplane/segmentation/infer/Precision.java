package org.triplane.segmentation.infer;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The number type the convolutions of inference run in ({@link org.triplane.segmentation.model.FoldedUNet}).
 * Everything around them stays float32: the inputs as built, the atlas prior added to the logits, and
 * softmax, arg-max and confidence over the logits (see FoldedUNet for why).
 *
 * <p>float16 (11 significant bits, largest value 65504) halves the memory of every activation and runs
 * on a GPU's tensor cores; its agreement with float32 on the shipped model set is measured
 * (BENCHMARKS.md, section 18).
 *
 * <p>No bfloat16: DJL's PyTorch engine (0.33 and 0.36, and its sources to this day) cannot make a
 * bfloat16 tensor. Its JNI maps DJL's data types to libtorch's through a table that ends at float16 and
 * bool, and for any other type it rethrows with no exception in flight, which ends the process
 * ({@code terminate called without an active exception}) instead of raising an error. libtorch itself
 * runs bfloat16 convolutions, on the CPU too; the engine's bridge does not reach them.
 */
public enum Precision {
    FLOAT32("float32", DataType.FLOAT32),
    FLOAT16("float16", DataType.FLOAT16);

    /** Why {@code bfloat16} is refused (see the class comment). */
    public static final String NO_BFLOAT16 = "bfloat16 is not available: DJL's PyTorch engine cannot make bfloat16 "
            + "tensors (its JNI's type table ends at float16, and a conversion to bfloat16 aborts the process); use float16";

    private final String wireName;
    private final DataType type;

    Precision(String wireName, DataType type) {
        this.wireName = wireName;
        this.type = type;
    }

    /** As settings, task records and health output spell it: {@code float32}, {@code float16}. */
    public String wireName() {
        return wireName;
    }

    /** The tensor type the convolutions run in. */
    public DataType type() {
        return type;
    }

    /** Bytes per number of this type. */
    public int bytes() {
        return type.getNumOfBytes();
    }

    /** Compute capability (as DJL's {@code CudaUtils.getComputeCapability} writes it) from which GPUs have tensor cores: 7.0, Volta. */
    static final int TENSOR_CORES = 70;

    /**
     * The precision a device runs when none is configured: float32 on the CPU (float16 convolutions
     * run 30 times slower than float32 ones there: BENCHMARKS.md, section 18); on a GPU with tensor
     * cores (compute capability 7.0 and later) float16, which runs on them and halves every activation's
     * memory, so the batch doubles; on older GPUs float32 (most of them compute float16 at a fraction of
     * float32's rate).
     *
     * @param computeCapability the GPU's compute capability as DJL's {@code CudaUtils.getComputeCapability}
     *                          writes it, major then minor digit ({@code "86"} for 8.6); ignored for the CPU;
     *                          unreadable counts as old
     */
    public static Precision defaultFor(Device device, String computeCapability) {
        if (!device.isGpu()) {
            return FLOAT32;
        }
        try {
            return Integer.parseInt(computeCapability.trim()) >= TENSOR_CORES ? FLOAT16 : FLOAT32;
        } catch (RuntimeException e) {
            return FLOAT32;
        }
    }

    /**
     * Parses {@code float32} or {@code float16} (also {@code fp32}, {@code fp16}, {@code half}).
     *
     * @throws IllegalArgumentException naming the accepted values, or why bfloat16 is not one
     */
    public static Precision parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "float32", "fp32" -> FLOAT32;
            case "float16", "fp16", "half" -> FLOAT16;
            case "bfloat16", "bf16" -> throw new IllegalArgumentException(NO_BFLOAT16);
            default -> throw new IllegalArgumentException("bad precision '" + name + "' (expected float32 or float16)");
        };
    }
}
