package org.triplane.gpu.device;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CUDA runtime, driver and cuDNN versions of a CUDA build of libtorch, asked of the libraries it
 * carries in its own folder. Why from the libraries: the build's name ({@code cu124}) says nothing of
 * cuDNN, and the versions that matter are those of the libraries this process runs, not those of
 * whatever CUDA toolkit the host may have installed elsewhere.
 *
 * @param runtime the CUDA runtime's version, e.g. {@code 12.4}
 * @param driver  the CUDA version the installed driver supports; empty when no driver is installed
 * @param cudnn   cuDNN's version, e.g. {@code 9.1.0}
 */
public record CudaVersions(Optional<String> runtime, Optional<String> driver, Optional<String> cudnn) {
    /** A CPU build: nothing known. */
    public static final CudaVersions NONE = new CudaVersions(Optional.empty(), Optional.empty(), Optional.empty());

    /** The two calls of the CUDA runtime API that need neither a GPU nor a driver. */
    interface CudaRuntime extends Library {
        int cudaRuntimeGetVersion(IntByReference version);

        int cudaDriverGetVersion(IntByReference version);
    }

    interface Cudnn extends Library {
        long cudnnGetVersion(); // size_t: 64 bits on the x86-64 Linux the native jars are built for
    }

    /** Asks the libraries in libtorch's folder; each version it cannot read stays empty. */
    public static CudaVersions of(Path libtorchDir) {
        Optional<Path> cudart = library(libtorchDir, "libcudart");
        Optional<String> runtime = Optional.empty();
        Optional<String> driver = Optional.empty();
        if (cudart.isPresent()) {
            try {
                CudaRuntime rt = Native.load(cudart.get().toString(), CudaRuntime.class);
                IntByReference v = new IntByReference();
                if (rt.cudaRuntimeGetVersion(v) == 0 && v.getValue() > 0) {
                    runtime = Optional.of(cuda(v.getValue()));
                }
                v.setValue(0);
                // why: 0 means no driver is installed (the call still succeeds)
                if (rt.cudaDriverGetVersion(v) == 0 && v.getValue() > 0) {
                    driver = Optional.of(cuda(v.getValue()));
                }
            } catch (UnsatisfiedLinkError e) {
                // unknown stays empty
            }
        }
        Optional<String> cudnn = library(libtorchDir, "libcudnn.so").flatMap(path -> {
            try {
                long v = Native.load(path.toString(), Cudnn.class).cudnnGetVersion();
                return v > 0 ? Optional.of(cudnn(v)) : Optional.empty();
            } catch (UnsatisfiedLinkError e) {
                return Optional.empty();
            }
        });
        return new CudaVersions(runtime, driver, cudnn);
    }

    /** CUDA's version number (1000 × major + 10 × minor) as {@code major.minor}. */
    static String cuda(int version) {
        return version / 1000 + "." + version % 1000 / 10;
    }

    /** cuDNN's version number as {@code major.minor.patch}: 10000 × major + … from 9 on, 1000 × major + … before. */
    static String cudnn(long version) {
        long major = version >= 90000 ? version / 10000 : version / 1000;
        long rest = version >= 90000 ? version % 10000 : version % 1000;
        return major + "." + rest / 100 + "." + rest % 100;
    }

    /** The library in {@code dir} whose file name starts with {@code prefix} (the wheels' copies carry a hash in the name). */
    private static Optional<Path> library(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
