package org.triplane.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained {@link UNet} in the form inference runs it: every Conv → BatchNorm pair folded into one
 * convolution with bias, using BatchNorm's running statistics (evaluation mode). Per output channel
 * o, with s = γ_o / √(runningVar_o + ε): weight'_o = s · weight_o and bias'_o = β_o − s · runningMean_o.
 * The logits are those of {@code UNet} in evaluation mode up to float rounding.
 *
 * <p>Input: float32 NCHW (N slices, C = {@link UNetConfig#inputChannels()}, H and W multiples of
 * {@code 2^depth}); output: float32 N×classes×H×W logits, in the input's manager. Why: BatchNorm in
 * evaluation mode is an affine map per channel, yet as its own operation it reads and writes every
 * activation of the network once more; folded, it costs nothing.
 *
 * <p>The convolutions, pooling and upsampling may run in float16 ({@link #of(UNet, NDManager, DataType)}):
 * the weights are folded in float32 and then rounded once, the input is rounded on the way in, and the
 * logits come back as float32. The atlas prior, {@code log(share + floor)}, is taken from the float32
 * input and added to the float32 logits, and softmax, arg-max and confidence run over float32. Why: the
 * rounding then stays where it buys speed and memory, inside the network, and is measured there
 * (labels against float32's); the steps after it decide between classes whose scores may differ in
 * float16's last bit (11 significant bits: 2 in 2048), where a rounded sum or probability would become
 * a tie that the first class wins, and the confidence byte and the per-class probabilities that carry
 * the labels back to the scan's grid would lose resolution. They cost little in float32: one pass over
 * the logits.
 */
public final class FoldedUNet {
    private static final Shape ONE = new Shape(1, 1);

    private final UNetConfig config;
    private final List<List<Convolution>> encoders = new ArrayList<>();
    private final List<Convolution> bottleneck;
    private final List<List<Convolution>> decoders = new ArrayList<>();
    private final Convolution head;

    /** Weight O×I×kh×kw and bias O of one convolution, padding (kh−1)/2. */
    private record Convolution(NDArray weight, NDArray bias, Shape padding) {
        NDArray apply(NDArray x) {
            return Conv2d.conv2d(x, weight, bias, ONE, padding, ONE, 1).singletonOrThrow();
        }
    }

    private final DataType type;

    private FoldedUNet(UNet net, NDManager manager, DataType type) {
        this.config = net.config();
        this.type = type;
        for (Block encoder : net.encoderBlocks()) {
            encoders.add(foldCbrs(encoder, manager, type));
        }
        bottleneck = foldCbrs(net.bottleneckBlock(), manager, type);
        for (Block decoder : net.decoderBlocks()) {
            decoders.add(foldCbrs(decoder, manager, type));
        }
        PairList<String, Parameter> headParameters = net.headBlock().getParameters();
        head = new Convolution(copy(headParameters.get("weight").getArray(), manager, type),
                copy(headParameters.get("bias").getArray(), manager, type), new Shape(0, 0));
    }

    /**
     * Folds a loaded or trained network. The folded weights belong to {@code manager}; the network
     * itself is left as it was and may be closed afterwards.
     */
    public static FoldedUNet of(UNet net, NDManager manager) {
        return of(net, manager, DataType.FLOAT32);
    }

    /**
     * As {@link #of(UNet, NDManager)}, with the convolutions running in {@code type} (FLOAT32 or FLOAT16);
     * inputs and logits stay float32.
     */
    public static FoldedUNet of(UNet net, NDManager manager, DataType type) {
        // why a check: DJL's PyTorch JNI aborts the whole process on a conversion to another type (Precision)
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("the folded U-Net runs in float32 or float16, not " + type);
        }
        // why grad mode off: the folded weights are constants; computed from weights that require
        // gradients with it on, they would keep an autograd graph holding the network's own weights
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return new FoldedUNet(net, manager, type);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** The configuration of the network this was folded from. */
    public UNetConfig config() {
        return config;
    }

    /**
     * Logits of the network in evaluation mode. Every intermediate tensor is closed as soon as it is
     * consumed, so a pass holds little more than the skips; the input stays open.
     */
    public NDArray forward(NDArray x) {
        NDArray prior = UNet.atlasPrior(x, config);
        List<NDArray> skips = new ArrayList<>();
        NDArray in = type == DataType.FLOAT32 ? x : x.toType(type, false);
        for (List<Convolution> encoder : encoders) {
            NDArray skip = cbrs(in, encoder);
            closeUnlessInput(in, x);
            skips.add(skip);
            in = UNet.maxPool2x(skip);
        }
        // Dropout is the identity in evaluation mode
        NDArray y = cbrs(in, bottleneck);
        closeUnlessInput(in, x);
        for (int l = config.depth() - 1; l >= 0; l--) {
            NDArray up = UNet.upsampleNearest2x(y);
            y.close();
            NDArray merged = NDArrays.concat(new NDList(skips.get(l), up), 1);
            up.close();
            skips.get(l).close();
            y = cbrs(merged, decoders.get(l));
            merged.close();
        }
        NDArray logits = float32(head.apply(y));
        y.close();
        if (prior == null) {
            return logits;
        }
        NDArray withPrior = logits.add(prior);
        logits.close();
        prior.close();
        return withPrior;
    }

    /** {@code a} as float32 ({@code a} itself when it is; else a copy, and {@code a} is closed). */
    private static NDArray float32(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a;
        }
        NDArray f = a.toType(DataType.FLOAT32, false);
        a.close();
        return f;
    }

    /** Conv(+folded BatchNorm) → ReLU for each convolution in turn; x stays open. */
    private static NDArray cbrs(NDArray x, List<Convolution> convolutions) {
        NDArray in = x;
        for (Convolution convolution : convolutions) {
            NDArray z = convolution.apply(in);
            closeUnlessInput(in, x);
            in = Activation.relu(z);
            z.close();
        }
        return in;
    }

    private static void closeUnlessInput(NDArray a, NDArray input) {
        if (a != input) {
            a.close();
        }
    }

    /** The (Conv, BatchNorm, ReLU)* sequence of one UNet block, folded pairwise. */
    private static List<Convolution> foldCbrs(Block sequence, NDManager manager, DataType type) {
        List<Block> layers = sequence.getChildren().values();
        if (layers.size() % 3 != 0) {
            throw new IllegalStateException("expected Conv, BatchNorm, ReLU triples, got " + layers.size() + " layers");
        }
        List<Convolution> folded = new ArrayList<>();
        for (int i = 0; i < layers.size(); i += 3) {
            folded.add(fold(layers.get(i).getParameters(), layers.get(i + 1).getParameters(), manager, type));
        }
        return folded;
    }

    private static Convolution fold(PairList<String, Parameter> conv, PairList<String, Parameter> norm,
                                    NDManager manager, DataType type) {
        NDArray weight = conv.get("weight").getArray();
        NDArray gamma = norm.get("gamma").getArray();
        NDArray beta = norm.get("beta").getArray();
        NDArray mean = norm.get("runningMean").getArray();
        NDArray variance = norm.get("runningVar").getArray();
        NDArray deviation = variance.add(UNet.BATCH_NORM_EPSILON);
        NDArray sd = deviation.sqrt();
        NDArray scale = gamma.div(sd);
        NDArray perFilter = scale.reshape(-1, 1, 1, 1);
        NDArray shift = mean.mul(scale);
        NDArray w = weight.mul(perFilter);
        NDArray b = beta.sub(shift);
        for (NDArray temporary : List.of(deviation, sd, scale, perFilter, shift)) {
            temporary.close();
        }
        long kernel = weight.getShape().get(2);
        return new Convolution(moveTo(w, manager, type), moveTo(b, manager, type),
                new Shape((kernel - 1) / 2, (kernel - 1) / 2));
    }

    private static NDArray copy(NDArray a, NDManager manager, DataType type) {
        return moveTo(a.duplicate(), manager, type);
    }

    /** {@code a} (folded in float32) rounded to {@code type} once, owned by {@code manager}. */
    private static NDArray moveTo(NDArray a, NDManager manager, DataType type) {
        NDArray typed = a;
        if (a.getDataType() != type) {
            typed = a.toType(type, false);
            a.close();
        }
        typed.attach(manager);
        return typed;
    }
}
