package org.triplane.segmentation.infer;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The C allocator settings libtorch needs to run at full speed inside a JVM, and a check that the
 * running process was started with them.
 *
 * <p>Why: every forward pass allocates and frees tensors of tens of megabytes. In a JVM the calls
 * come from a thread that is not the process's main thread, so glibc serves them from a secondary
 * arena or straight from {@code mmap} and hands the pages back on {@code free}; the next batch
 * page-faults all of them in again (about 650,000 minor faults for 40 batches of 8 {@code small}
 * network slices, against about 150,000 with these settings), and inference ran 2–4× slower on this
 * project's 2-core machines. With {@code mmap_max=0} and one arena every tensor comes from the main
 * heap, and the trim threshold keeps freed memory in the process for the next batch: resident memory
 * stays at the peak working set instead of going up and down each batch. The results are bit for
 * bit the same. glibc reads the variable only when a process starts, so it must be in the
 * environment of the JVM (the local stack, the container image and the manifests set it).
 */
public final class NativeAllocator {
    /** Environment variable glibc reads its tunables from. */
    public static final String VARIABLE = "GLIBC_TUNABLES";
    /** The value to start inference and training processes with. */
    public static final String TUNABLES =
            "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1";

    private static final List<String> REQUIRED = List.of("glibc.malloc.mmap_max=0", "glibc.malloc.arena_max=1");

    private NativeAllocator() {
    }

    /** Whether {@code tunables} (a {@value #VARIABLE} value, may be null) holds the settings that matter. */
    public static boolean covers(String tunables) {
        if (tunables == null) {
            return false;
        }
        List<String> given = Arrays.asList(tunables.split(":"));
        return given.containsAll(REQUIRED);
    }

    /** A warning naming the variable and its value when this process was started without the settings. */
    public static Optional<String> startupWarning() {
        String current = System.getenv(VARIABLE);
        if (covers(current)) {
            return Optional.empty();
        }
        return Optional.of("this process was started with " + VARIABLE + "=" + (current == null ? "(unset)" : current)
                + "; start it with " + VARIABLE + "=" + TUNABLES + " or network inference and training run 2-4x slower"
                + " (libtorch's tensors are page-faulted in again every batch)");
    }
}
