package org.triplane.segmentation.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies once per device that the engine's 3×3 convolution back-propagates correct input
 * gradients, against a plain-Java computation.
 *
 * <p>Why: on some x86 CPUs (seen on an AVX-512 AMD EPYC with libtorch 2.7.1) oneDNN's vectorised
 * backward-data kernels return wrong values or NaN for small output channel counts (4, as in the
 * tiny U-Net) when the batch is larger than one; the forward pass and the weight gradients stay
 * correct, so inference is unaffected but training silently learns garbage. Limiting oneDNN to
 * SSE4.1 kernels with the environment variable {@code DNNL_MAX_CPU_ISA=SSE41} (set before the JVM
 * starts) avoids it.
 */
public final class ConvolutionGradientCheck {
    private static final Map<Device, String> RESULTS = new ConcurrentHashMap<>();

    private ConvolutionGradientCheck() {
    }

    /**
     * Throws if input gradients of a batch-8, 4→4-channel 3×3 convolution differ from the reference.
     *
     * @throws IllegalStateException naming the error and the workaround
     */
    public static void verify(Device device) {
        String problem = RESULTS.computeIfAbsent(device, ConvolutionGradientCheck::run);
        if (!problem.isEmpty()) {
            throw new IllegalStateException(problem);
        }
    }

    private static String run(Device device) {
        int n = 8;
        int c = 4;
        int hw = 8;
        try (NDManager m = NDManager.newBaseManager(device)) {
            float[] xv = new float[n * c * hw * hw];
            float[] wv = new float[c * c * 9];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < xv.length; i++) {
                xv[i] = r.nextFloat();
            }
            for (int i = 0; i < wv.length; i++) {
                wv[i] = r.nextFloat() - 0.5f;
            }
            NDArray x = m.create(xv, new Shape(n, c, hw, hw));
            NDArray w = m.create(wv, new Shape(c, c, 3, 3));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                        .singletonOrThrow();
                collector.backward(y.sum());
            }
            float[] gx = x.getGradient().toFloatArray();
            double worst = 0;
            // d(sum y)/dx[b,ci,i,j] = sum over output channels and kernel taps that reach (i, j)
            for (int b = 0; b < n; b++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int i = 0; i < hw; i++) {
                        for (int j = 0; j < hw; j++) {
                            double s = 0;
                            for (int co = 0; co < c; co++) {
                                for (int ki = 0; ki < 3; ki++) {
                                    for (int kj = 0; kj < 3; kj++) {
                                        int oi = i - ki + 1;
                                        int oj = j - kj + 1;
                                        if (oi >= 0 && oj >= 0 && oi < hw && oj < hw) {
                                            s += wv[((co * c + ci) * 3 + ki) * 3 + kj];
                                        }
                                    }
                                }
                            }
                            float got = gx[((b * c + ci) * hw + i) * hw + j];
                            worst = Math.max(worst, Float.isNaN(got) ? Double.POSITIVE_INFINITY : Math.abs(got - s));
                        }
                    }
                }
            }
            if (worst > 1e-3) {
                return "the PyTorch engine computes wrong convolution input gradients on " + device
                        + " (largest error " + worst + "); training would silently fail. On x86 CPUs set the environment"
                        + " variable DNNL_MAX_CPU_ISA=SSE41 before starting the JVM";
            }
            return "";
        }
    }
}
