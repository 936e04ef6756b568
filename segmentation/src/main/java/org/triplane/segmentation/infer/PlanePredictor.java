package org.triplane.segmentation.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.model.FoldedUNet;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.SampleTensors;
import org.triplane.segmentation.model.UNetConfig;

/**
 * Runs one plane's trained U-Net over slices in evaluation mode (no input noise, no dropout,
 * BatchNorm running statistics, folded into the convolutions: {@link FoldedUNet}). Inputs are
 * {@link PlaneSamples} (NCHW float32); outputs NHW labels and confidences. Each batch runs in its own
 * {@link NDManager} sub-scope so native memory stays flat over any number of slices. One predictor
 * serves one thread at a time.
 */
public final class PlanePredictor implements AutoCloseable {
    private final UNetConfig config;
    private final Device device;
    private final Precision precision;
    private final NDManager manager;
    private final FoldedUNet network;
    private final SampleTensors tensors = new SampleTensors();

    /**
     * Opens the weights in {@code weights} (written by {@link ModelFiles#save}) for {@code config} on
     * {@code device}.
     *
     * @throws IOException if the file is unreadable or holds another configuration
     */
    public PlanePredictor(UNetConfig config, Path weights, Device device) throws IOException {
        this(config, weights, device, Precision.FLOAT32);
    }

    /**
     * As {@link #PlanePredictor(UNetConfig, Path, Device)}, the convolutions running in {@code precision}
     * (inputs, softmax and arg-max stay float32: {@link FoldedUNet}).
     *
     * @throws IOException if the file is unreadable or holds another configuration
     */
    public PlanePredictor(UNetConfig config, Path weights, Device device, Precision precision) throws IOException {
        this.config = config;
        this.device = device;
        this.precision = precision;
        this.manager = NDManager.newBaseManager(device);
        // why a scope for the loaded network: once folded, its own weights are no longer needed
        try (NDManager loading = manager.newSubManager()) {
            this.network = FoldedUNet.of(ModelFiles.load(weights, config, loading), manager, precision.type());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The network's configuration. */
    public UNetConfig config() {
        return config;
    }

    /** The number type the convolutions run in. */
    public Precision precision() {
        return precision;
    }

    /** The device, as task records name it. */
    public String deviceName() {
        return Devices.describe(device);
    }

    /**
     * Predicts every slice, {@code batchSize} slices per forward pass.
     *
     * @throws IllegalArgumentException if channels or slice sizes do not fit the network, or batchSize &lt; 1
     */
    public PlanePrediction predict(PlaneSamples samples, int batchSize) {
        return predict(samples, batchSize, false);
    }

    /**
     * As {@link #predict(PlaneSamples, int)}; with {@code keepProbabilities} the result also holds every
     * class's probability per pixel as a byte ({@link PlanePrediction#probabilities}).
     */
    public PlanePrediction predict(PlaneSamples samples, int batchSize, boolean keepProbabilities) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (samples.channels() != config.inputChannels()) {
            throw new IllegalArgumentException(samples.plane() + " samples have " + samples.channels()
                    + " channel(s), the U-Net takes " + config.inputChannels());
        }
        config.checkSliceSize(samples.height(), samples.width());
        // why: PyTorch's grad mode is per thread and on by default on threads other than the engine's first;
        // with it on, every batch would also build an autograd graph
        JniUtils.setGradMode(false);
        long t0 = System.nanoTime();
        int pixels = samples.slicePixels();
        byte[] labels = new byte[Math.multiplyExact(samples.count(), pixels)];
        byte[] confidence = new byte[labels.length];
        byte[][] perClass = keepProbabilities ? new byte[config.classes()][labels.length] : null;
        for (int start = 0; start < samples.count(); start += batchSize) {
            int n = Math.min(batchSize, samples.count() - start);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = tensors.inputs(batch, samples, SampleTensors.range(start, n));
                NDArray logits = network.forward(x);
                // why a view of the tensor's memory: copying it out made a batch-sized Java array per batch (11 MB
                // for 8 slices of 128×128, 22 MB per 512×512 slice), and the garbage collector's churn slowed inference
                FloatBuffer probabilities = logits.softmax(1).toByteBuffer(true).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                MostProbableClass.write(probabilities, n, config.classes(), pixels, labels, confidence, start * pixels);
                if (perClass != null) {
                    MostProbableClass.quantise(probabilities, n, config.classes(), pixels, perClass, start * pixels);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        PredictionStats stats = new PredictionStats(samples.count(), seconds,
                seconds > 0 ? samples.count() / seconds : Double.NaN, deviceName(), batchSize, precision.wireName());
        return new PlanePrediction(samples.plane(), samples.count(), samples.height(), samples.width(), labels, confidence,
                stats, perClass);
    }

    @Override
    public void close() {
        manager.close();
    }
}
