package org.triplane.gpu.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.triplane.segmentation.infer.Precision;

class DeviceDecisionTest {
    private static final CudaVersions CUDA_124 = new CudaVersions(Optional.of("12.4"), Optional.of("12.6"), Optional.of("9.1.0"));
    private static final Libtorch CPU_BUILD = new Libtorch("2.7.1", Path.of("/lib/cpu"), false, false, 0, CudaVersions.NONE);
    private static final Libtorch CUDA_NO_DRIVER = new Libtorch("2.5.1", Path.of("/lib/cu124"), true, false, 0,
            new CudaVersions(Optional.of("12.4"), Optional.empty(), Optional.of("9.1.0")));
    private static final Libtorch CUDA_ONE_GPU = new Libtorch("2.5.1", Path.of("/lib/cu124"), true, true, 1, CUDA_124);

    private static Supplier<Libtorch> loads(Libtorch lib) {
        return () -> lib;
    }

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneAndTheCpuOtherwise() {
        assertThat(DeviceDecision.decide("auto", loads(CUDA_ONE_GPU)).device()).isEqualTo(Device.gpu(0));
        DeviceStatus cpu = DeviceDecision.decide("auto", loads(CPU_BUILD));
        assertThat(cpu.device()).isEqualTo(Device.cpu());
        assertThat(cpu.usable()).isTrue();
        assertThat(DeviceDecision.decide(" CPU ", loads(CUDA_ONE_GPU)).device()).isEqualTo(Device.cpu());
    }

    @Test
    void aWorkerConfiguredForCudaRunsOnItsGpu() {
        DeviceStatus s = DeviceDecision.decide("cuda", loads(CUDA_ONE_GPU));
        assertThat(s.usable()).isTrue();
        assertThat(s.name()).isEqualTo("cuda:0");
        assertThat(s.recordFields()).containsEntry("device", "cuda:0").containsEntry("cuda", "12.4")
                .containsEntry("cudnn", "9.1.0").containsEntry("libtorch", "2.5.1");
    }

    @Test
    void aWorkerConfiguredForCudaNeverFallsBackToTheCpu() {
        DeviceStatus cpuBuild = DeviceDecision.decide("cuda", loads(CPU_BUILD));
        assertThat(cpuBuild.usable()).isFalse();
        assertThat(cpuBuild.problem()).isEqualTo("triplane.gpu.device is cuda but libtorch 2.7.1 here is the CPU build: run the"
                + " CUDA build of the gpu-worker (Maven profile cuda, image tag -cuda), or set the device to auto or cpu");

        DeviceStatus noDriver = DeviceDecision.decide("cuda:0", loads(CUDA_NO_DRIVER));
        assertThat(noDriver.usable()).isFalse();
        assertThat(noDriver.problem()).isEqualTo("triplane.gpu.device is cuda:0 but libtorch 2.5.1 (cuda 12.4) finds no usable GPU"
                + " (no NVIDIA driver installed)");
        assertThat(noDriver.healthData()).containsEntry("deviceReady", false).containsEntry("device", "cuda:0")
                .containsEntry("libtorchBuild", "cuda 12.4").containsEntry("cudnn", "9.1.0").doesNotContainKey("cudaDriver");

        DeviceStatus second = DeviceDecision.decide("cuda:1", loads(CUDA_ONE_GPU));
        assertThat(second.problem()).isEqualTo("triplane.gpu.device is cuda:1 but there is 1 GPU, cuda:0 to cuda:0");

        DeviceStatus uncounted = DeviceDecision.decide("cuda", loads(
                new Libtorch("2.5.1", Path.of("/lib/cu124"), true, true, 0, CUDA_124)));
        assertThat(uncounted.problem()).contains("DJL counts no GPU although libtorch 2.5.1 (cuda 12.4) finds CUDA");
    }

    @Test
    void aLibtorchThatDoesNotLoadLeavesNoDeviceAndSaysWhy() {
        DeviceStatus s = DeviceDecision.decide("auto", () -> {
            throw new EngineException("Failed to load PyTorch native library",
                    new UnsatisfiedLinkError("libcaffe2_nvrtc.so: libcuda.so.1: cannot open shared object file"));
        });
        assertThat(s.usable()).isFalse();
        assertThat(s.problem()).startsWith("libtorch did not load: Failed to load PyTorch native library: "
                + "libcaffe2_nvrtc.so: libcuda.so.1: cannot open shared object file (DJL counts ")
                .containsPattern("GPUs; libtorch builds on the class path: [^)]+\\)$");
        assertThat(s.healthData()).containsEntry("deviceReady", false).doesNotContainKey("libtorch");
    }

    @Test
    void aBadSettingLeavesNoDevice() {
        assertThat(DeviceDecision.decide("tpu", loads(CPU_BUILD)).problem())
                .isEqualTo("triplane.gpu.device: bad device 'tpu' (expected cpu, cuda, cuda:N or auto)");
    }

    @Test
    void aCpuRunRecordsNoCudaVersions() {
        assertThat(DeviceDecision.decide("cpu", loads(CUDA_ONE_GPU)).recordFields())
                .containsOnlyKeys("device", "libtorch").containsEntry("device", "cpu");
    }

    @Test
    void autoPrecisionIsFloat32OnTheCpuAndFloat16OnAGpuWithTensorCores() {
        IntFunction<String> ampere = id -> "86";
        assertThat(DeviceDecision.precision("auto", Device.cpu(), ampere)).isEqualTo(Precision.FLOAT32);
        assertThat(DeviceDecision.precision("auto", Device.gpu(0), ampere)).isEqualTo(Precision.FLOAT16);
        assertThat(DeviceDecision.precision("auto", Device.gpu(1), id -> id == 1 ? "61" : "86"))
                .as("the GPU the worker runs on is asked").isEqualTo(Precision.FLOAT32);
        assertThat(DeviceDecision.precision("float32", Device.gpu(0), ampere)).isEqualTo(Precision.FLOAT32);
        assertThat(DeviceDecision.precision("float16", Device.cpu(), ampere)).isEqualTo(Precision.FLOAT16);
    }

    @Test
    void aBadPrecisionNamesTheSetting() {
        assertThatThrownBy(() -> DeviceDecision.precision("int8", Device.cpu(), id -> "86"))
                .hasMessage("triplane.gpu.precision: bad precision 'int8' (expected float32 or float16), or auto");
        assertThatThrownBy(() -> DeviceDecision.precision("bfloat16", Device.gpu(0), id -> "86"))
                .hasMessageStartingWith("triplane.gpu.precision: bfloat16 is not available: DJL's PyTorch engine");
    }
}
