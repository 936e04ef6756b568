package org.triplane.gpu.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.triplane.worker.config.WorkerSettings;

/**
 * How the gpu-worker takes, holds and runs plane and training tasks. Defaults suit the local stack; what
 * every worker has (identity, consumer group, lease, sweep, retry) is in {@link WorkerSettings}.
 */
@ConfigMapping(prefix = "triplane.gpu")
public interface GpuWorkerConfig extends WorkerSettings {

    /** Default id {@code gpu@<host>:<pid>}. */
    @Override
    default String idPrefix() {
        return "gpu";
    }

    /**
     * Task kinds this worker takes: {@code plane} (inference) and/or {@code train}. A worker that
     * takes plane tasks only need not be started with {@code DNNL_MAX_CPU_ISA=SSE41}, which training
     * needs and which slows CPU inference several times (BENCHMARKS.md §5).
     */
    @WithDefault("plane,train")
    List<String> tasks();

    /** Device: {@code auto} (CUDA when DJL sees a GPU, else CPU), {@code cpu} or {@code cuda:N}. */
    @WithDefault("auto")
    String device();

    /**
     * Number type of the inference convolutions: {@code auto} (float32 on the CPU, float16 on a GPU with
     * tensor cores, float32 on an older one), {@code float32} or {@code float16} (bfloat16: refused, see
     * {@link org.triplane.segmentation.infer.Precision}). Training always runs in float32.
     */
    @WithDefault("auto")
    String precision();

    /** Slices per forward pass in inference on the CPU. On a GPU the batch is chosen from its free memory instead. */
    @WithDefault("8")
    int batchSize();

    /** On a GPU, the most slices per forward pass, however much memory is free ({@code BatchSizing.DEFAULT_CEILING}). */
    @WithDefault("64")
    int maxBatchSize();

    /**
     * Whether the next plane task's volume is downloaded and decoded while the current task computes
     * ({@link org.triplane.gpu.service.VolumePrefetch}): at most one task ahead, nothing claimed.
     */
    @WithDefault("true")
    boolean prefetch();

    /** Opened plane models kept in memory (least recently used ones are closed first). */
    @WithDefault("3")
    int modelCacheSize();

    /** Threads for resampling onto and off the model grid. */
    @WithDefault("2")
    int resampleThreads();

    /** Local folder for downloaded weights and training checkpoints; default a folder in the temp directory. */
    Optional<String> workDir();

    /** Version of this code, recorded with every trained model; defaults to the build's version. */
    @WithDefault("${quarkus.application.version:unknown}")
    String codeVersion();

    /** Test-only: pause this long after each training epoch's checkpoint is stored. Zero in production. */
    @WithDefault("0s")
    Duration testDelayAfterEpoch();
}
