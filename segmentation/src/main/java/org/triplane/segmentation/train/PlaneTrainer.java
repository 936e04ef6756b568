package org.triplane.segmentation.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.model.FoldedUNet;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.SampleTensors;
import org.triplane.segmentation.model.TverskyLoss;
import org.triplane.segmentation.model.UNet;
import org.triplane.segmentation.model.UNetConfig;

/**
 * Trains one plane's {@link UNet} with the {@link TverskyLoss} plus weighted cross-entropy
 * ({@link TrainingSettings#crossEntropyWeight()}) and Adam, evaluating on validation
 * slices after every epoch, with a checkpoint per epoch that a later call resumes from.
 *
 * <p>Inputs: {@link PlaneSamples} (NCHW float32 inputs, NHW labels 0..20), training and validation,
 * with the network's channel count and slice sizes that are multiples of {@code 2^depth}.
 *
 * <p>Deterministic for a given seed (on one device, with one thread count): weights are initialised
 * right after seeding the engine with the seed; each epoch reseeds the engine (input noise, dropout)
 * and shuffles the slice order from (seed, epoch) alone. Because the optimizer state is
 * checkpointed too ({@link ResumableAdam}), a training stopped after epoch k and resumed gives the
 * same weights and history as one that ran through. Every step runs in its own {@link NDManager}
 * sub-scope (native memory would grow with every step otherwise).
 */
public final class PlaneTrainer {
    private final UNetConfig config;
    private final TrainingSettings settings;
    private final Device device;
    // why: lets tests see the exact weights a resumed training starts from
    java.util.function.Consumer<UNet> afterResume = net -> { };
    private BatchAugmentation augmentation;

    public PlaneTrainer(UNetConfig config, TrainingSettings settings, Device device) {
        if (config.classes() > ConfusionMatrix.CLASSES) {
            throw new IllegalArgumentException("PlaneTrainer scores labels 0.." + (ConfusionMatrix.CLASSES - 1) + "; a U-Net with "
                    + config.classes() + " classes cannot be evaluated");
        }
        this.config = config;
        this.settings = settings;
        this.device = device;
    }

    /**
     * The same trainer changing every training batch through {@code augmentation} (validation batches
     * stay as they are), with randomness drawn from (seed, epoch, batch) alone.
     */
    public PlaneTrainer withAugmentation(BatchAugmentation augmentation) {
        PlaneTrainer t = new PlaneTrainer(config, settings, device);
        t.augmentation = java.util.Objects.requireNonNull(augmentation, "augmentation");
        return t;
    }

    /**
     * Trains epochs 1..{@code settings.epochs()} — or, when {@code checkpointDir} already holds a
     * checkpoint of the same network and settings (epoch count aside), the epochs after it — and
     * reports each epoch to {@code listener} once its checkpoint is written.
     *
     * @throws IOException              if the checkpoint folder cannot be read or written
     * @throws IllegalArgumentException for unlabelled or ill-shaped samples
     * @throws IllegalStateException    if the folder's checkpoint belongs to another network or settings
     */
    public TrainingOutcome train(PlaneSamples training, PlaneSamples validation, Path checkpointDir, EpochListener listener)
            throws IOException {
        checkSamples(training, "training");
        checkSamples(validation, "validation");
        if (training.height() != validation.height() || training.width() != validation.width()) {
            throw new IllegalArgumentException("training slices are " + training.height() + "x" + training.width()
                    + ", validation slices " + validation.height() + "x" + validation.width());
        }
        ConvolutionGradientCheck.verify(device);
        Files.createDirectories(checkpointDir);
        Optional<TrainingCheckpoint> checkpoint = TrainingCheckpoint.read(checkpointDir);
        checkpoint.ifPresent(c -> checkCompatible(c, checkpointDir));

        Engine engine = Engine.getInstance();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Shape inputShape = new Shape(settings.batchSize(), config.inputChannels(), training.height(), training.width());
            ResumableAdam adam = new ResumableAdam((float) settings.learningRate());
            UNet net;
            List<EpochReport> history = new ArrayList<>();
            int bestEpoch = 0;
            double bestIoU = Double.NaN;
            int resumedAfter = 0;
            if (checkpoint.isPresent()) {
                TrainingCheckpoint c = checkpoint.get();
                net = ModelFiles.load(TrainingCheckpoint.weightsFile(checkpointDir, c.epoch()), config, manager);
                net.initialize(manager, DataType.FLOAT32, inputShape); // keeps the loaded values, enables gradients
                adam.load(net, TrainingCheckpoint.optimizerFile(checkpointDir, c.epoch()), manager);
                history.addAll(c.history());
                bestEpoch = c.bestEpoch();
                bestIoU = c.bestMeanIoU();
                resumedAfter = c.epoch();
                afterResume.accept(net);
            } else {
                engine.setRandomSeed(seedFor(0));
                net = new UNet(config);
                net.initialize(manager, DataType.FLOAT32, inputShape);
            }
            ParameterStore parameters = new ParameterStore(manager, false);
            parameters.setParameterServer(new LocalParameterServer(adam), new Device[] {device});
            TverskyLoss loss = new TverskyLoss(settings.alpha(), settings.beta(), config.classes());
            SampleTensors tensors = new SampleTensors();

            for (int epoch = resumedAfter + 1; epoch <= settings.epochs(); epoch++) {
                long t0 = System.nanoTime();
                engine.setRandomSeed(seedFor(epoch));
                double[] train = trainEpoch(net, parameters, loss, tensors, manager, training, shuffled(training.count(), epoch),
                        epoch);
                ConfusionMatrix confusion = new ConfusionMatrix();
                double[] val = evaluate(net, loss, tensors, manager, validation, confusion);
                double[] iou = new double[ConfusionMatrix.CLASSES];
                for (int c = 0; c < iou.length; c++) {
                    iou[c] = confusion.iou(c);
                }
                double meanIoU = confusion.meanIoU();
                if (Double.isNaN(train[0])) {
                    throw new IllegalStateException("training loss became NaN in epoch " + epoch + " (checkpoint folder "
                            + checkpointDir + "); lower the learning rate");
                }
                EpochReport report = new EpochReport(epoch, train[0], train[1], train[2], val[0], val[1], val[2], iou,
                        meanIoU, (System.nanoTime() - t0) / 1e9);
                history.add(report);
                if (bestEpoch == 0 || (!Double.isNaN(meanIoU) && (Double.isNaN(bestIoU) || meanIoU > bestIoU))) {
                    bestEpoch = epoch;
                    bestIoU = meanIoU;
                }
                writeCheckpoint(checkpointDir, net, adam, new TrainingCheckpoint(epoch, bestEpoch, bestIoU, config, settings,
                        history));
                listener.epochEnded(report);
            }
            if (bestEpoch == 0) {
                throw new IllegalStateException("checkpoint in " + checkpointDir + " names no best epoch");
            }
            return new TrainingOutcome(bestEpoch, bestIoU, TrainingCheckpoint.weightsFile(checkpointDir, bestEpoch), history,
                    resumedAfter);
        }
    }

    /** One pass in training mode; returns the slice-weighted mean Tversky, cross-entropy and MSE. */
    private double[] trainEpoch(UNet net, ParameterStore parameters, TverskyLoss loss, SampleTensors tensors,
                                NDManager manager, PlaneSamples samples, int[] order, int epoch) {
        double[] sums = new double[3];
        for (int start = 0; start < order.length; start += settings.batchSize()) {
            int[] batch = java.util.Arrays.copyOfRange(order, start, Math.min(order.length, start + settings.batchSize()));
            PlaneSamples source = samples;
            if (augmentation != null) {
                source = augmented(samples, batch, new SplittableRandom((settings.seed() * 1_000_003L + epoch) * 1_000_003L + start));
                batch = SampleTensors.range(0, batch.length);
            }
            // why: every array of a step (inputs, activations, autograd graph, gradients' wrappers) dies with this scope
            try (NDManager step = manager.newSubManager()) {
                NDArray x = tensors.inputs(step, source, batch);
                NDArray y = tensors.labels(step, source, batch);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = net.forward(parameters, new NDList(x), true).singletonOrThrow();
                    TverskyLoss.Terms terms = loss.terms(y, logits);
                    collector.backward(terms.objective(settings.crossEntropyWeight()));
                    accumulate(sums, terms, batch.length);
                }
                parameters.updateAllParameters();
            }
        }
        return divide(sums, order.length);
    }

    /** Copies of slices {@code batch}, changed by the augmentation. */
    private PlaneSamples augmented(PlaneSamples samples, int[] batch, SplittableRandom random) {
        int sliceFloats = samples.channels() * samples.slicePixels();
        int pixels = samples.slicePixels();
        float[] inputs = new float[batch.length * sliceFloats];
        byte[] labels = new byte[batch.length * pixels];
        int[] scans = new int[batch.length];
        for (int i = 0; i < batch.length; i++) {
            System.arraycopy(samples.inputs(), batch[i] * sliceFloats, inputs, i * sliceFloats, sliceFloats);
            System.arraycopy(samples.labels(), batch[i] * pixels, labels, i * pixels, pixels);
            scans[i] = samples.scanIndex()[batch[i]];
        }
        augmentation.apply(inputs, labels, batch.length, samples.channels(), samples.height(), samples.width(), random);
        return new PlaneSamples(samples.plane(), batch.length, samples.channels(), samples.height(), samples.width(), inputs,
                labels, scans);
    }

    /**
     * Evaluation mode over all slices, through the network's evaluation form ({@link FoldedUNet}, what
     * inference runs): slice-weighted mean losses; arg-max predictions go into {@code confusion}.
     */
    private double[] evaluate(UNet net, TverskyLoss loss, SampleTensors tensors, NDManager manager, PlaneSamples samples,
                              ConfusionMatrix confusion) {
        // why: PyTorch's grad mode is per thread and on by default on threads other than the engine's first
        JniUtils.setGradMode(false);
        double[] sums = new double[3];
        int pixels = samples.slicePixels();
        try (NDManager folded = manager.newSubManager()) {
            FoldedUNet network = FoldedUNet.of(net, folded);
            for (int start = 0; start < samples.count(); start += settings.batchSize()) {
                int n = Math.min(settings.batchSize(), samples.count() - start);
                int[] batch = SampleTensors.range(start, n);
                try (NDManager step = folded.newSubManager()) {
                    NDArray x = tensors.inputs(step, samples, batch);
                    NDArray y = tensors.labels(step, samples, batch);
                    NDArray logits = network.forward(x);
                    accumulate(sums, loss.terms(y, logits), n);
                    byte[] predicted = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
                    confusion.add(samples.labels(), start * pixels, predicted, 0, n * pixels);
                }
            }
        }
        return divide(sums, samples.count());
    }

    private static void accumulate(double[] sums, TverskyLoss.Terms terms, int slices) {
        sums[0] += terms.tversky().getFloat() * (double) slices;
        sums[1] += terms.crossEntropy().getFloat() * (double) slices;
        sums[2] += terms.meanSquaredError().getFloat() * (double) slices;
    }

    private static double[] divide(double[] sums, int count) {
        return new double[] {sums[0] / count, sums[1] / count, sums[2] / count};
    }

    private void writeCheckpoint(Path dir, UNet net, ResumableAdam adam, TrainingCheckpoint checkpoint) throws IOException {
        ModelFiles.save(net, TrainingCheckpoint.weightsFile(dir, checkpoint.epoch()));
        Path optimizer = TrainingCheckpoint.optimizerFile(dir, checkpoint.epoch());
        Path tmp = Files.createTempFile(dir, optimizer.getFileName().toString(), ".tmp");
        try {
            adam.save(net, tmp);
            Files.move(tmp, optimizer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        checkpoint.write(dir);
    }

    /** Slice order of an epoch: a Fisher–Yates shuffle drawn from (seed, epoch) only. */
    int[] shuffled(int count, int epoch) {
        int[] order = SampleTensors.range(0, count);
        SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    // why: the engine takes an int seed; mixing keeps different (seed, epoch) pairs apart
    private int seedFor(int epoch) {
        long z = settings.seed() * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31)) & Integer.MAX_VALUE;
    }

    private void checkSamples(PlaneSamples s, String role) {
        if (s.count() == 0) {
            throw new IllegalArgumentException("no " + role + " slices");
        }
        if (!s.labelled()) {
            throw new IllegalArgumentException("the " + role + " slices carry no labels");
        }
        if (s.channels() != config.inputChannels()) {
            throw new IllegalArgumentException(role + " slices have " + s.channels() + " channel(s), the U-Net takes "
                    + config.inputChannels());
        }
        config.checkSliceSize(s.height(), s.width());
    }

    private void checkCompatible(TrainingCheckpoint c, Path dir) {
        if (!c.config().equals(config)) {
            throw new IllegalStateException("checkpoint in " + dir + " trains " + c.config().describe() + ", not "
                    + config.describe());
        }
        if (!c.settings().sameExceptEpochs(settings)) {
            throw new IllegalStateException("checkpoint in " + dir + " was made with settings " + c.settings()
                    + ", now " + settings + " (only the epoch count may change)");
        }
    }
}
