package org.triplane.segmentation.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hyper-parameters of the per-plane 2D U-Net ({@link UNet}); everything needed to rebuild the same
 * network so that saved weights fit it.
 *
 * @param depth          encoder levels (pooling steps); slice height and width must be multiples of
 *                       {@code 2^depth}
 * @param baseFilters    filters of the first level; level {@code l} has {@code baseFilters * 2^l}, the
 *                       bottleneck {@code baseFilters * 2^depth}
 * @param dropout        dropout probability on the last pooled tensor (before the bottleneck), in [0, 1)
 * @param inputNoiseStd  standard deviation of the Gaussian noise added to input channel 0 in training
 *                       (window units: byte / 254), ≥ 0
 * @param inputChannels  1, 2 or 25: see {@link NetworkInputs}
 * @param classes        output channels: 21 = background + 20 ASPECTS regions
 */
public record UNetConfig(int depth, int baseFilters, double dropout, double inputNoiseStd, int inputChannels,
                         int classes) {

    /** Architecture identifier written to the model registry; changes whenever {@link UNet}'s wiring does. */
    public static final String ARCHITECTURE = "unet2d-bn-nearest-v2";

    /** Output classes of an ASPECTS model: background and the 20 regions. */
    public static final int ASPECTS_CLASSES = 21;

    // why: the study does not state the noise level; 0.02 window units is about 5 HU, the noise of a
    // routine head CT, so it perturbs without drowning the grey/white matter contrast (~10 HU)
    private static final double PRESET_NOISE = 0.02;

    public UNetConfig {
        if (depth < 1 || depth > 7) {
            throw new IllegalArgumentException("UNetConfig depth must be 1..7, got " + depth);
        }
        if (baseFilters < 1 || (long) baseFilters << depth > 65_536) {
            throw new IllegalArgumentException("UNetConfig baseFilters must be >= 1 with baseFilters * 2^depth <= 65536, got "
                    + baseFilters + " at depth " + depth);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("UNetConfig dropout must be in [0, 1), got " + dropout);
        }
        if (!(inputNoiseStd >= 0) || Double.isInfinite(inputNoiseStd)) {
            throw new IllegalArgumentException("UNetConfig inputNoiseStd must be finite and >= 0, got " + inputNoiseStd);
        }
        try {
            NetworkInputs.ofChannels(inputChannels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("UNetConfig inputChannels: " + e.getMessage(), e);
        }
        if (classes < 2 || classes > 256) {
            throw new IllegalArgumentException("UNetConfig classes must be 2..256 (labels are bytes), got " + classes);
        }
    }

    /**
     * The study's network: depth 5, 32 base filters (32..512, bottleneck 1024), dropout 0.3; 31.5 M
     * weights with the BatchNorm statistics (the study's "about 31 M").
     */
    public static UNetConfig study(int inputChannels) {
        return new UNetConfig(5, 32, 0.3, PRESET_NOISE, inputChannels, ASPECTS_CLASSES);
    }

    /** Depth 4, 8 base filters: trains on two CPU cores in minutes on 128×128 slices. */
    public static UNetConfig small(int inputChannels) {
        return new UNetConfig(4, 8, 0.3, PRESET_NOISE, inputChannels, ASPECTS_CLASSES);
    }

    /** Depth 3, 4 base filters: for tests. */
    public static UNetConfig tiny(int inputChannels) {
        return new UNetConfig(3, 4, 0.1, PRESET_NOISE, inputChannels, ASPECTS_CLASSES);
    }

    /**
     * A preset by name: {@code study}, {@code small} or {@code tiny}.
     *
     * @throws IllegalArgumentException for another name
     */
    public static UNetConfig preset(String name, int inputChannels) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "study" -> study(inputChannels);
            case "small" -> small(inputChannels);
            case "tiny" -> tiny(inputChannels);
            default -> throw new IllegalArgumentException("unknown U-Net preset '" + name + "' (known: study, small, tiny)");
        };
    }

    /** What the input channels hold. */
    public NetworkInputs inputs() {
        return NetworkInputs.ofChannels(inputChannels);
    }

    /** Filters of encoder/decoder level {@code level} (0..depth; level {@code depth} is the bottleneck). */
    public int filters(int level) {
        return baseFilters << level;
    }

    /** Slice sizes (height and width) must be multiples of this: {@code 2^depth}. */
    public int sizeMultiple() {
        return 1 << depth;
    }

    /**
     * Checks that an NCHW input of this height and width fits the network.
     *
     * @throws IllegalArgumentException naming the size and the required multiple
     */
    public void checkSliceSize(long height, long width) {
        int m = sizeMultiple();
        if (height < m || width < m || height % m != 0 || width % m != 0) {
            throw new IllegalArgumentException("slice size " + height + "x" + width + " is not a positive multiple of 2^"
                    + depth + " = " + m + " in both directions; pad the slices (PlaneSlicer pads to the model depth)");
        }
    }

    /** Trainable weights: convolution kernels, the final bias and BatchNorm scale/shift. */
    public long trainableWeightCount() {
        return weightCount(false);
    }

    /**
     * All stored weights, including the BatchNorm running mean and variance (what Keras reports as
     * "total params").
     */
    public long weightCount() {
        return weightCount(true);
    }

    private long weightCount(boolean withRunningStats) {
        long bnPerChannel = withRunningStats ? 4 : 2;
        long n = 0;
        long in = inputChannels;
        for (int l = 0; l <= depth; l++) {
            long f = filters(l);
            n += 9 * in * f + 9 * f * f + 2 * bnPerChannel * f;
            in = f;
        }
        for (int l = depth - 1; l >= 0; l--) {
            long f = filters(l);
            n += 9 * (f + in) * f + 9 * f * f + 2 * bnPerChannel * f; // [skip_l, upsampled] → f, f → f
            in = f;
        }
        return n + in * classes + classes;
    }

    /** Architecture name plus every parameter, in a fixed order, for the model registry. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", ARCHITECTURE);
        m.put("depth", depth);
        m.put("baseFilters", baseFilters);
        m.put("dropout", dropout);
        m.put("inputNoiseStd", inputNoiseStd);
        m.put("inputChannels", inputChannels);
        m.put("classes", classes);
        m.put("weights", weightCount());
        return m;
    }

    /** {@link #toMap()} as one line of JSON. */
    public String describe() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : toMap().entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            sb.append(v instanceof String s ? '"' + s + '"' : String.valueOf(v));
        }
        return sb.append('}').toString();
    }
}
