package org.triplane.gpu.device;

import ai.djl.Device;
import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.segmentation.infer.Devices;

/**
 * The device this worker runs its networks on, or why it cannot run at all; with what it knows of
 * libtorch, for the health output and each task's record.
 *
 * @param setting  {@code triplane.gpu.device} as configured
 * @param device   the device tasks run on; {@code null} when the worker must not take tasks
 * @param problem  why it must not; {@code null} when it may
 * @param libtorch the loaded libtorch; {@code null} when it did not load
 */
public record DeviceStatus(String setting, Device device, String problem, Libtorch libtorch) {
    static DeviceStatus usable(String setting, Device device, Libtorch libtorch) {
        return new DeviceStatus(setting, device, null, libtorch);
    }

    static DeviceStatus unusable(String setting, String problem, Libtorch libtorch) {
        return new DeviceStatus(setting, null, problem, libtorch);
    }

    public boolean usable() {
        return device != null;
    }

    /** @throws IllegalStateException with the problem when the worker has no device */
    public Device requireDevice() {
        if (device == null) {
            throw new IllegalStateException(problem);
        }
        return device;
    }

    /** The device as task records name it ({@code cpu}, {@code cuda:0}), or the setting when there is none. */
    public String name() {
        return device != null ? Devices.describe(device) : setting;
    }

    /**
     * What a task's record keeps of the device it ran on: the device, CUDA and cuDNN versions when it
     * ran on a GPU and they are known, and libtorch's version (the precision and batch size are the
     * task's own: {@link InferencePlan}).
     */
    public Map<String, Object> recordFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("device", name());
        if (libtorch != null) {
            fields.put("libtorch", libtorch.version());
            if (device != null && device.isGpu()) {
                libtorch.versions().runtime().ifPresent(v -> fields.put("cuda", v));
                libtorch.versions().cudnn().ifPresent(v -> fields.put("cudnn", v));
            }
        }
        return fields;
    }

    /** What the health output says: the setting, the device or the problem, and all that is known of libtorch. */
    public Map<String, Object> healthData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("device", name());
        data.put("deviceSetting", setting);
        data.put("deviceReady", usable());
        if (problem != null) {
            data.put("deviceProblem", problem);
        }
        if (libtorch != null) {
            data.put("libtorch", libtorch.version());
            data.put("libtorchBuild", libtorch.build());
            data.put("gpus", libtorch.gpus());
            libtorch.versions().runtime().ifPresent(v -> data.put("cuda", v));
            libtorch.versions().driver().ifPresent(v -> data.put("cudaDriver", v));
            libtorch.versions().cudnn().ifPresent(v -> data.put("cudnn", v));
        }
        return data;
    }
}
