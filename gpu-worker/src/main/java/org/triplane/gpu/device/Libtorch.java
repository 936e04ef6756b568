package org.triplane.gpu.device;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libtorch this process loaded through DJL: its version, whether it is a CUDA build, whether it
 * can use a GPU, and the versions of the CUDA libraries it carries.
 *
 * @param version    libtorch's version, e.g. {@code 2.5.1}
 * @param directory  the folder DJL loaded it from
 * @param cudaBuild  whether it was built for CUDA ({@code libtorch_cuda} next to it)
 * @param cudaUsable whether libtorch itself finds a CUDA driver and device
 * @param gpus       the GPUs DJL counts; DJL counts them through the CUDA runtime on the library path,
 *                   so a CUDA build can see a GPU that DJL does not count
 * @param versions   CUDA runtime, driver and cuDNN versions, as far as known
 */
public record Libtorch(String version, Path directory, boolean cudaBuild, boolean cudaUsable, int gpus,
                       CudaVersions versions) {

    /** Loads libtorch (DJL does that once per process) and describes it; throws what DJL throws when it cannot. */
    public static Libtorch load() {
        Engine engine = Engine.getEngine("PyTorch");
        Path dir = Path.of(LibUtils.getLibtorchPath());
        boolean cudaBuild = Files.exists(dir.resolve(System.mapLibraryName("torch_cuda")));
        return new Libtorch(engine.getVersion(), dir, cudaBuild, engine.hasCapability(StandardCapabilities.CUDA),
                engine.getGpuCount(), cudaBuild ? CudaVersions.of(dir) : CudaVersions.NONE);
    }

    /** {@code cpu}, or {@code cuda 12.4} for a CUDA build. */
    public String build() {
        return cudaBuild ? "cuda " + versions.runtime().orElse("(version unknown)") : "cpu";
    }
}
