package org.triplane.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.triplane.imaging.plane.Plane;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.infer.BatchSizing;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.infer.InferenceMemory;
import org.triplane.segmentation.infer.NativeAllocator;
import org.triplane.segmentation.infer.PlanePrediction;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.infer.Precision;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.UNet;
import org.triplane.segmentation.model.UNetConfig;

/**
 * Times U-Net inference through {@link PlanePredictor} (the worker's path: per-batch scopes, arg-max
 * and confidence included) on random slices with randomly initialised weights — speed does not
 * depend on the weight values. Warms up for WARMUP_SECONDS of inference (at least two batches), then
 * prints one JSON line: slices/s, seconds per slice, device, threads, resident set size and whether
 * the JVM was started with the allocator settings of {@link NativeAllocator}.
 *
 * <p>Why a timed warm-up: a worker is a long-running process, and the JVM reaches its steady speed
 * only after a few seconds of compiling and sizing its heap; {@code benchmarks/pytorch/unet_infer.py}
 * takes the same warm-up, so both engines are compared as they run once warm.
 *
 * <p>Usage: {@code UNetInferenceTiming PRESET HEIGHT WIDTH BATCH SLICES [THREADS] [DEVICE]
 * [WARMUP_SECONDS] [CHANNELS] [PRECISION]}, for example {@code small 128 128 8 200 2} or
 * {@code study 512 512 1 4 2 cpu 5}. BATCH is a number or, on a GPU, {@code auto}: the gpu-worker's
 * rule (as many slices as fit into 80 % of the free memory by {@link InferenceMemory}'s estimate, at most
 * 64). THREADS defaults to the processors available; DEVICE is cpu, cuda:N or auto (default);
 * WARMUP_SECONDS defaults to 0 (two batches only). Input channels follow the
 * presets as deployed, and as {@code benchmarks/pytorch/unet_infer.py} builds them: 1 for
 * {@code study} (the study's window-only input), 2 (window + position) otherwise, unless CHANNELS says
 * (26: the atlas inputs, whose network also adds the atlas prior to its logits; 0: the preset's
 * default). PRECISION is float32 (default) or float16 ({@link Precision}).
 */
public final class UNetInferenceTiming {
    private UNetInferenceTiming() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println(
                    "usage: UNetInferenceTiming PRESET HEIGHT WIDTH BATCH SLICES [THREADS] [DEVICE] [WARMUP_SECONDS] [CHANNELS]"
                            + " [PRECISION]");
            System.exit(2);
        }
        int givenChannels = args.length > 8 ? Integer.parseInt(args[8]) : 0;
        int channels = givenChannels > 0 ? givenChannels : "study".equalsIgnoreCase(args[0]) ? 1 : 2;
        UNetConfig config = UNetConfig.preset(args[0], channels);
        int height = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int slices = Integer.parseInt(args[4]);
        int threads = Devices.applyThreads(args.length > 5 ? Integer.parseInt(args[5]) : Devices.threads());
        Device device = Devices.parse(args.length > 6 ? args[6] : "auto");
        double warmupSeconds = args.length > 7 ? Double.parseDouble(args[7]) : 0;
        Precision precision = Precision.parse(args.length > 9 ? args[9] : "float32");
        config.checkSliceSize(height, width);
        int batch = args[3].equalsIgnoreCase("auto")
                ? BatchSizing.onGpu(device, config, height, width, precision, BatchSizing.DEFAULT_CEILING)
                : Integer.parseInt(args[3]);

        Path weights = Files.createTempFile("unet-timing", ".params");
        try {
            try (NDManager manager = NDManager.newBaseManager(device)) {
                Engine.getInstance().setRandomSeed(1);
                UNet net = new UNet(config);
                net.initialize(manager, DataType.FLOAT32, new Shape(batch, config.inputChannels(), height, width));
                ModelFiles.save(net, weights);
            }
            PlaneSamples warmup = randomSlices(Math.min(2 * batch, slices), config.inputChannels(), height, width, 1);
            PlaneSamples timed = randomSlices(slices, config.inputChannels(), height, width, 2);
            try (PlanePredictor predictor = new PlanePredictor(config, weights, device, precision)) {
                long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                do {
                    predictor.predict(warmup, batch);
                } while (System.nanoTime() < warmupEnd);
                PlanePrediction p = predictor.predict(timed, batch);
                System.out.println(String.format(Locale.ROOT,
                        "{\"preset\":\"%s\",\"height\":%d,\"width\":%d,\"batch\":%d,\"slices\":%d,\"threads\":%d,"
                                + "\"device\":\"%s\",\"seconds\":%.3f,\"slicesPerSecond\":%.3f,\"secondsPerSlice\":%.4f,"
                                + "\"warmupSeconds\":%.1f,\"rssMb\":%d,\"weights\":%d,\"allocatorTuned\":%b,"
                                + "\"precision\":\"%s\",\"estimatedMbPerSlice\":%.1f}",
                        args[0], height, width, batch, slices, threads, p.stats().device(), p.stats().seconds(),
                        p.stats().slicesPerSecond(), p.stats().seconds() / slices, warmupSeconds, residentMb(),
                        config.weightCount(),
                        NativeAllocator.startupWarning().isEmpty(), p.stats().precision(),
                        InferenceMemory.bytesPerSlice(config, height, width, precision) / 1e6));
            }
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    private static PlaneSamples randomSlices(int count, int channels, int height, int width, long seed) {
        Random random = new Random(seed);
        float[] inputs = new float[count * channels * height * width];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextFloat();
        }
        return new PlaneSamples(Plane.AXIAL, count, channels, height, width, inputs, null, new int[count]);
    }

    private static long residentMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
