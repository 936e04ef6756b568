package org.triplane.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-plane 2D U-Net as a DJL block. Input: one float32 tensor NCHW (N slices, C =
 * {@link UNetConfig#inputChannels()}, H and W multiples of {@code 2^depth}); output: one float32
 * tensor N×classes×H×W of logits (softmax belongs to the loss and to inference).
 *
 * <p>Wiring, with {@code f_l = baseFilters·2^l}, every convolution 3×3 with padding 1 and no bias,
 * every "CBR" = Conv → BatchNorm (ε 1e-5, PyTorch momentum 0.1) → ReLU:
 * <ol>
 * <li>training only: Gaussian noise (σ = inputNoiseStd) added to input channel 0;</li>
 * <li>encoder level l = 0..depth−1: CBR(f_l), CBR(f_l) → kept as skip_l → MaxPool 2×2 stride 2;</li>
 * <li>Dropout(p = dropout) on the last pooled tensor; bottleneck CBR(f_depth), CBR(f_depth);</li>
 * <li>decoder level l = depth−1..0: nearest-neighbour upsampling ×2 (Keras' UpSampling2D, no
 *     convolution of its own); concatenate [skip_l, up] along channels (skip first: f_l + f_{l+1}
 *     channels); CBR(f_l), CBR(f_l);</li>
 * <li>Conv 1×1 with bias to {@code classes} channels;</li>
 * <li>with the atlas inputs ({@link NetworkInputs#WINDOW_AND_ATLAS}) only: plus the atlas prior,
 *     {@code log(share + }{@value #PRIOR_FLOOR}{@code )} of each label's share in the input channels
 *     5–25. why: the logits then start from the atlas's own answer (the network's first guess is the
 *     registered atlas) and training learns only what the scan shows beyond it.</li>
 * </ol>
 * Convolution kernels start Glorot-uniform (Keras' default), biases and BatchNorm shifts at 0,
 * BatchNorm scales at 1. Inference and validation run the trained network's evaluation form,
 * {@link FoldedUNet}.
 */
public final class UNet extends AbstractBlock {
    /** BatchNorm's ε (PyTorch's and Keras' default), also used when folding it for inference. */
    static final float BATCH_NORM_EPSILON = 1e-5f;
    /** Added to a label share before its logarithm: a share of 0 gives −4.6, well below a share of 1's 0. */
    static final float PRIOR_FLOOR = 0.01f;
    private static final byte VERSION = 1;

    private final UNetConfig config;
    private final List<Block> encoders = new ArrayList<>();
    private final Block dropout;
    private final Block bottleneck;
    private final List<Block> decoders = new ArrayList<>();       // index l, decoder level l
    private final Block head;

    /** Builds the (uninitialised) network for {@code config}. */
    public UNet(UNetConfig config) {
        super(VERSION);
        this.config = config;
        int depth = config.depth();
        for (int l = 0; l < depth; l++) {
            encoders.add(addChildBlock("encoder" + l, convBnRelu(config.filters(l), 2)));
        }
        dropout = addChildBlock("dropout", Dropout.builder().optRate((float) config.dropout()).build());
        bottleneck = addChildBlock("bottleneck", convBnRelu(config.filters(depth), 2));
        Block[] decs = new Block[depth];
        for (int l = depth - 1; l >= 0; l--) {
            decs[l] = addChildBlock("decoder" + l, convBnRelu(config.filters(l), 2));
        }
        decoders.addAll(List.of(decs));
        head = addChildBlock("head", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(config.classes())
                .optBias(true).build());
        // why: DJL gives kernels no default initializer; Glorot-uniform bound sqrt(6 / (fanIn + fanOut))
        // is XavierInitializer(UNIFORM, AVG, 3)
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3f),
                Parameter.Type.WEIGHT);
    }

    /** The configuration this network was built from. */
    public UNetConfig config() {
        return config;
    }

    /** Encoder level l's two CBRs (a sequence Conv, BatchNorm, ReLU, Conv, BatchNorm, ReLU), index l. */
    List<Block> encoderBlocks() {
        return List.copyOf(encoders);
    }

    /** The bottleneck's two CBRs. */
    Block bottleneckBlock() {
        return bottleneck;
    }

    /** Decoder level l's two CBRs, index l. */
    List<Block> decoderBlocks() {
        return List.copyOf(decoders);
    }

    /** The 1×1 convolution with bias to the classes. */
    Block headBlock() {
        return head;
    }

    private static Block convBnRelu(int filters, int repeats) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < repeats; i++) {
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters)
                            .optBias(false).build())
                    .add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build())
                    .add(Activation.reluBlock());
        }
        return block;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        NDArray prior = atlasPrior(x, config);
        if (training && config.inputNoiseStd() > 0) {
            x = x.add(channelZeroNoise(x, config.inputNoiseStd()));
        }
        List<NDArray> skips = new ArrayList<>();
        for (Block encoder : encoders) {
            x = encoder.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            skips.add(x);
            x = maxPool2x(x);
        }
        x = dropout.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = bottleneck.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        for (int l = config.depth() - 1; l >= 0; l--) {
            x = NDArrays.concat(new NDList(skips.get(l), upsampleNearest2x(x)), 1);
            x = decoders.get(l).forward(parameterStore, new NDList(x), training).singletonOrThrow();
        }
        NDList logits = head.forward(parameterStore, new NDList(x), training);
        return prior == null ? logits : new NDList(logits.singletonOrThrow().add(prior));
    }

    /**
     * For the atlas inputs, {@code log(share + PRIOR_FLOOR)} of the input's label-share channels
     * (N×classes×H×W), which the logits are added to; {@code null} for other inputs.
     */
    static NDArray atlasPrior(NDArray input, UNetConfig config) {
        if (config.inputs() != NetworkInputs.WINDOW_AND_ATLAS) {
            return null;
        }
        return input.get(new NDIndex(":, " + NetworkInputs.FIRST_SHARE_CHANNEL + ":")).add(PRIOR_FLOOR).log();
    }

    /** Noise of the input's shape (NCHW): N(0, std²) in channel 0, zero in the other channels. */
    static NDArray channelZeroNoise(NDArray x, double std) {
        Shape s = x.getShape();
        NDManager m = x.getManager();
        NDArray noise = m.randomNormal(0f, (float) std, new Shape(s.get(0), 1, s.get(2), s.get(3)),
                DataType.FLOAT32);
        if (s.get(1) == 1) {
            return noise;
        }
        return noise.concat(m.zeros(new Shape(s.get(0), s.get(1) - 1, s.get(2), s.get(3)), DataType.FLOAT32), 1);
    }

    /** Max-pooling 2×2 with stride 2 of an NCHW tensor (the encoder's downsampling step). */
    static NDArray maxPool2x(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /**
     * Nearest-neighbour ×2 upsampling of an NCHW tensor (PyTorch {@code interpolate(mode="nearest")},
     * the same as Keras' UpSampling2D): output pixel (2i+a, 2j+b) = input pixel (i, j).
     */
    static NDArray upsampleNearest2x(NDArray x) {
        Shape s = x.getShape();
        // why: mode 0 is PyTorch's kNearest; Conv2dTranspose is not available in DJL's PyTorch engine
        return x.getNDArrayInternal().interpolation(new long[] {s.get(2) * 2, s.get(3) * 2}, 0, false);
    }

    private void checkInput(Shape s) {
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("U-Net input must be NCHW (4 dimensions), got shape " + s);
        }
        if (s.get(1) != config.inputChannels()) {
            throw new IllegalArgumentException("U-Net built for " + config.inputChannels() + " input channel(s) got "
                    + s.get(1) + " (shape " + s + ")");
        }
        config.checkSliceSize(s.get(2), s.get(3));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), config.classes(), s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        checkInput(s);
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        long channels = s.get(1);
        for (int l = 0; l < config.depth(); l++) {
            encoders.get(l).initialize(manager, dataType, new Shape(n, channels, h, w));
            channels = config.filters(l);
            h /= 2;
            w /= 2;
        }
        dropout.initialize(manager, dataType, new Shape(n, channels, h, w));
        bottleneck.initialize(manager, dataType, new Shape(n, channels, h, w));
        channels = config.filters(config.depth());
        for (int l = config.depth() - 1; l >= 0; l--) {
            h *= 2;
            w *= 2;
            decoders.get(l).initialize(manager, dataType, new Shape(n, config.filters(l) + channels, h, w));
            channels = config.filters(l);
        }
        head.initialize(manager, dataType, new Shape(n, channels, h, w));
    }
}
