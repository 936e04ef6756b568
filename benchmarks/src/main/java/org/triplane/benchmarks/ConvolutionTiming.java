package org.triplane.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Locale;
import org.triplane.segmentation.infer.Devices;

/**
 * Times single 3×3 convolutions (stride 1, padding 1, with bias) through DJL, the call the network's
 * evaluation form makes for every layer ({@code FoldedUNet}), on random NCHW float32 tensors: input
 * 1×IC×SIZE×SIZE, weight OC×IC×3×3. Each shape warms up for WARMUP_SECONDS (at least three calls),
 * then CALLS calls are timed one by one; one JSON line per shape with the median and the fastest
 * call in milliseconds. {@code benchmarks/pytorch/conv_timing.py} is the same loop in PyTorch.
 *
 * <p>Why single layers: a whole network's time mixes the convolution kernels with concatenation,
 * pooling and upsampling; one layer at a time shows whether two engines differ in the kernels
 * themselves, and for which shapes.
 *
 * <p>Usage: {@code ConvolutionTiming THREADS WARMUP_SECONDS CALLS IC:OC:SIZE...}, for example
 * {@code 2 2 20 96:32:512 1536:512:32}.
 */
public final class ConvolutionTiming {
    private static final Shape ONE = new Shape(1, 1);

    private ConvolutionTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: ConvolutionTiming THREADS WARMUP_SECONDS CALLS IC:OC:SIZE...");
            System.exit(2);
        }
        int threads = Devices.applyThreads(Integer.parseInt(args[0]));
        double warmupSeconds = Double.parseDouble(args[1]);
        int calls = Integer.parseInt(args[2]);
        JniUtils.setGradMode(false);
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String spec : Arrays.copyOfRange(args, 3, args.length)) {
                String[] parts = spec.split(":");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("shape must be IC:OC:SIZE, got " + spec);
                }
                int in = Integer.parseInt(parts[0]);
                int out = Integer.parseInt(parts[1]);
                int size = Integer.parseInt(parts[2]);
                double[] ms = time(manager, in, out, size, warmupSeconds, calls);
                System.out.println(String.format(Locale.ROOT,
                        "{\"engine\":\"djl\",\"ic\":%d,\"oc\":%d,\"size\":%d,\"threads\":%d,\"calls\":%d,"
                                + "\"msMedian\":%.3f,\"msMin\":%.3f}",
                        in, out, size, threads, calls, ms[0], ms[1]));
            }
        }
    }

    /** Returns {median, minimum} milliseconds per call. */
    private static double[] time(NDManager manager, int in, int out, int size, double warmupSeconds, int calls) {
        try (NDManager shape = manager.newSubManager()) {
            NDArray x = shape.randomUniform(0, 1, new Shape(1, in, size, size));
            NDArray weight = shape.randomUniform(-0.05f, 0.05f, new Shape(out, in, 3, 3));
            NDArray bias = shape.randomUniform(0, 1, new Shape(out));
            long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            int warm = 0;
            while (warm++ < 3 || System.nanoTime() < warmupEnd) {
                convolve(shape, x, weight, bias);
            }
            double[] ms = new double[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                convolve(shape, x, weight, bias);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            return new double[] {ms[calls / 2], ms[0]};
        }
    }

    private static void convolve(NDManager manager, NDArray x, NDArray weight, NDArray bias) {
        // why a scope per call: the output is freed at once, as in the network's pass
        try (NDManager call = manager.newSubManager()) {
            NDArray y = Conv2d.conv2d(x, weight, bias, ONE, ONE, ONE, 1).singletonOrThrow();
            y.attach(call);
        }
    }
}
