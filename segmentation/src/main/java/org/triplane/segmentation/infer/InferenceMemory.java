package org.triplane.segmentation.infer;

import org.triplane.segmentation.model.NetworkInputs;
import org.triplane.segmentation.model.UNetConfig;

/**
 * How much device memory one slice of a batch takes at the peak of a {@link PlanePredictor} forward
 * pass (the folded network: {@link org.triplane.segmentation.model.FoldedUNet}), so that a batch size
 * can be chosen from the memory a GPU has free. An estimate from the network's shape, not a
 * measurement; the rule that uses it leaves headroom.
 *
 * <p>Per pixel of the padded slice (H·W), with C input channels, f base filters, K classes and p bytes
 * per number in the precision the convolutions run in:
 * <ul>
 *   <li>the input, float32 on the device, and its copy in the convolutions' precision: C·(4 + p);</li>
 *   <li>the network's activations at their peak, the first decoder level: the skips still held plus
 *       the skip, its upsampled partner and their concatenation (f + 2f + 3f) and two convolution outputs:
 *       bounded by 8·f·p (the skips of all levels sum to less than 2·f, and the deeper levels' working
 *       sets are a quarter of the level above's per level);</li>
 *   <li>the logits in the convolutions' precision and as float32, their sum with the atlas prior and the
 *       softmax, both float32, all kept to the end of the batch: K·(p + 12);</li>
 *   <li>with the atlas inputs, the prior itself: the share channels shifted by the floor and their
 *       logarithm, float32: K·8.</li>
 * </ul>
 * For the {@code study} preset at 512 × 512 in float32 (C = 1, f = 32, K = 21, p = 4): 1368 bytes per
 * pixel, 359 MB per slice; in float16 (p = 2): 812 bytes per pixel, 213 MB.
 */
public final class InferenceMemory {
    private InferenceMemory() {
    }

    /** Bytes one slice of {@code height × width} (padded) takes at the peak of a forward pass in {@code precision}. */
    public static long bytesPerSlice(UNetConfig config, int height, int width, Precision precision) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("slice size must be positive, got " + height + " × " + width);
        }
        long p = precision.bytes();
        long perPixel = config.inputChannels() * (Float.BYTES + p)
                + 8L * config.baseFilters() * p
                + config.classes() * (p + 3L * Float.BYTES);
        if (config.inputs() == NetworkInputs.WINDOW_AND_ATLAS) {
            perPixel += config.classes() * 2L * Float.BYTES;
        }
        return perPixel * height * width;
    }
}
