package org.triplane.segmentation.infer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Chooses where the networks run: the first CUDA GPU when DJL's PyTorch engine reports one, else the
 * CPU; and how many CPU threads PyTorch uses inside one operation.
 */
public final class Devices {
    /** System property DJL reads for PyTorch's intra-op thread count. */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private Devices() {
    }

    /** {@code cuda:0} if the engine sees a GPU, else the CPU. */
    public static Device choose() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }

    /** The device as task records name it: {@code "cpu"} or {@code "cuda:N"}. */
    public static String describe(Device device) {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    /**
     * Parses {@code "cpu"}, {@code "cuda:N"} / {@code "gpu:N"}, {@code "cuda"} / {@code "gpu"} (the first
     * GPU), or {@code "auto"} (= {@link #choose()}).
     */
    public static Device parse(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("auto")) {
            return choose();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("cuda") || n.equals("gpu")) {
            return Device.gpu(0);
        }
        if (n.startsWith("cuda:") || n.startsWith("gpu:")) {
            try {
                return Device.gpu(Integer.parseInt(n.substring(n.indexOf(':') + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + name + "' (expected cpu, cuda, cuda:N or auto)", e);
            }
        }
        throw new IllegalArgumentException("bad device '" + name + "' (expected cpu, cuda, cuda:N or auto)");
    }

    /** Threads to use: {@code -Dai.djl.pytorch.num_threads} when set, else the host's available processors. */
    public static int threads() {
        Integer configured = Integer.getInteger(THREADS_PROPERTY);
        return configured != null && configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Applies {@link #threads()} to PyTorch's intra-op pool; returns the count applied. */
    public static int applyThreads() {
        return applyThreads(threads());
    }

    /** Sets PyTorch's intra-op thread count (process-wide). */
    public static int applyThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        Engine.getInstance(); // why: loads libtorch before the call below
        JniUtils.setNumThreads(threads);
        return threads;
    }
}
