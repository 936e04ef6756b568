package org.triplane.deploy.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One gpu-worker: trains the per-plane U-Nets and runs them on plane tasks, on CUDA when DJL sees
 * a GPU, else on the CPU ({@code triplane.gpu.device} is left at {@code auto}). It logs in as the
 * worker role, so it starts after the gateway (and, like the fusion-worker, after the
 * preprocess-worker). PyTorch's memory lies outside the Java heap; the heap holds the volumes.
 * A stack of several ({@link StackConfig#gpuWorkers()}) runs {@code gpu-worker}, {@code gpu-worker-2}, ...,
 * each its own process, port, log and working directory, in one consumer group.
 */
final class GpuWorkerComponent extends WorkerService {
    static final String NAME = "gpu-worker";
    /**
     * Added to the stack's per-component timeout. why: the first start of a machine unpacks
     * libtorch (~430 MB, into {@code ~/.djl.ai}) before the health endpoint answers: about 5 s on
     * an idle disk, far more on a busy one.
     */
    static final Duration FIRST_START_ALLOWANCE = Duration.ofSeconds(60);

    /** 1..{@link StackConfig#MAX_GPU_WORKERS}: beyond {@link StackConfig#gpuWorkers()} only to stop one left running. */
    private final int worker;

    /** The first gpu-worker. */
    GpuWorkerComponent(StackConfig config) {
        this(config, 1);
    }

    /** @param worker 1..{@link StackConfig#gpuWorkers()} */
    GpuWorkerComponent(StackConfig config, int worker) {
        super(config, nameOf(worker), "gpu-worker");
        this.worker = worker;
    }

    /** {@code gpu-worker} for the first, {@code gpu-worker-<i>} for the i-th after it. */
    static String nameOf(int worker) {
        return worker == 1 ? NAME : NAME + "-" + worker;
    }

    @Override
    public String name() {
        return nameOf(worker);
    }

    @Override
    protected String portSetting() {
        return worker == 1 ? "-Dtriplane.gpu.port=N or TRIPLANE_GPU_PORT=N"
                : "-Dtriplane.gpu.port=N or TRIPLANE_GPU_PORT=N (gpu-worker-" + worker + " listens on N + "
                        + (worker - 1) * StackConfig.GPU_WORKER_PORT_STEP + ")";
    }

    @Override
    protected Map<String, String> settings() {
        Map<String, String> s = super.settings();
        // why: downloaded weights and training checkpoints stay inside the data directory, not the shared temp folder
        s.put("triplane.gpu.work-dir", home().resolve("work").toString());
        return s;
    }

    @Override
    protected String maxHeap() {
        // why: a TRAIN task holds every training scan's windowed volume and labels on the heap
        // (two bytes per voxel, ~58 MB per study-size scan) besides a prediction's two volumes, and
        // one plane's network inputs for all of them: with atlas inputs 26 float channels per pixel,
        // ~90 MB per scan on the 1.5 mm grid (1.5 GB ran out with 12 scans)
        return "3g";
    }

    @Override
    protected List<String> jvmOptions() {
        // why: the native library comes from the class path; the stack never lets DJL download at run time
        return List.of("-Dai.djl.offline=true");
    }

    /** The allocator settings of {@code org.triplane.segmentation.infer.NativeAllocator#TUNABLES}. */
    static final String GLIBC_TUNABLES =
            "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1";

    @Override
    protected Map<String, String> environment() {
        // why: OpenMP spin-waiting slows every step many times over when cores are shared; and
        // oneDNN's AVX2/AVX-512 convolution backward pass gives wrong input gradients on some CPUs
        // (checked at training start), the SSE4.1 kernels are exact; and glibc must keep libtorch's freed
        // tensors for the next batch instead of page-faulting them in again (2-4x faster inference)
        return Map.of("OMP_WAIT_POLICY", "PASSIVE", "DNNL_MAX_CPU_ISA", "SSE41", "GLIBC_TUNABLES", GLIBC_TUNABLES);
    }

    @Override
    protected Duration startTimeout() {
        return config.startTimeout().plus(FIRST_START_ALLOWANCE);
    }

    @Override
    protected int primaryPort() {
        return config.gpuWorkerPort(worker);
    }
}
