package org.triplane.gpu.device;

import ai.djl.Device;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.infer.Precision;

/**
 * Decides from {@code triplane.gpu.device} and the libtorch that loaded which device this worker runs
 * on. {@code auto} takes the first GPU when there is one and the CPU otherwise; {@code cpu} the CPU;
 * {@code cuda} / {@code cuda:N} that GPU or nothing: a worker configured for a GPU never falls back
 * to the CPU, where it would run its tasks tens of times slower without anyone noticing.
 */
final class DeviceDecision {
    private DeviceDecision() {
    }

    static DeviceStatus decide(String setting, Supplier<Libtorch> load) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        Libtorch lib;
        try {
            lib = load.get();
        } catch (RuntimeException | LinkageError e) {
            return DeviceStatus.unusable(s, "libtorch did not load: " + causes(e) + " (" + BundledLibtorch.describe() + ")", null);
        }
        if (s.equals("auto")) {
            return DeviceStatus.usable(s, lib.gpus() > 0 ? Device.gpu(0) : Device.cpu(), lib);
        }
        Device wanted;
        try {
            wanted = Devices.parse(s);
        } catch (IllegalArgumentException e) {
            return DeviceStatus.unusable(s, "triplane.gpu.device: " + e.getMessage(), lib);
        }
        if (!wanted.isGpu()) {
            return DeviceStatus.usable(s, wanted, lib);
        }
        String configured = "triplane.gpu.device is " + s + " but ";
        if (!lib.cudaBuild()) {
            return DeviceStatus.unusable(s, configured + "libtorch " + lib.version() + " here is the CPU build: run the CUDA "
                    + "build of the gpu-worker (Maven profile cuda, image tag -cuda), or set the device to auto or cpu", lib);
        }
        if (!lib.cudaUsable()) {
            return DeviceStatus.unusable(s, configured + "libtorch " + lib.version() + " (" + lib.build() + ") finds no usable GPU ("
                    + lib.versions().driver().map(d -> "NVIDIA driver for CUDA " + d + " installed")
                            .orElse("no NVIDIA driver installed") + ")", lib);
        }
        if (lib.gpus() == 0) {
            return DeviceStatus.unusable(s, configured + "DJL counts no GPU although libtorch " + lib.version() + " ("
                    + lib.build() + ") finds CUDA: DJL counts GPUs through a libcudart on the library path, and there is "
                    + "none (the CUDA base image provides it)", lib);
        }
        if (wanted.getDeviceId() >= lib.gpus()) {
            return DeviceStatus.unusable(s, configured + "there " + (lib.gpus() == 1 ? "is 1 GPU" : "are " + lib.gpus() + " GPUs")
                    + ", cuda:0 to cuda:" + (lib.gpus() - 1), lib);
        }
        return DeviceStatus.usable(s, wanted, lib);
    }

    /**
     * The precision of inference from {@code triplane.gpu.precision}: {@code auto} takes
     * {@link Precision#defaultFor} the device (asking a GPU's compute capability), anything else must name one.
     *
     * @throws IllegalArgumentException naming the setting and what it accepts
     */
    static Precision precision(String setting, Device device, IntFunction<String> computeCapability) {
        if (setting.trim().equalsIgnoreCase("auto")) {
            return Precision.defaultFor(device, device.isGpu() ? computeCapability.apply(device.getDeviceId()) : "");
        }
        try {
            return Precision.parse(setting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("triplane.gpu.precision: " + e.getMessage() + ", or auto", e);
        }
    }

    /** Each message of the cause chain, once: DJL wraps the linker's own words in its exceptions. */
    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.toString();
    }
}
