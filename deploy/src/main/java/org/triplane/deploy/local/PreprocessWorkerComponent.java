package org.triplane.deploy.local;

/**
 * One preprocess-worker: consumes scan events, windows each scan and creates its plane tasks. It
 * logs in as the worker role, whose login the gateway enables at start, so it starts after the
 * gateway is ready.
 */
final class PreprocessWorkerComponent extends WorkerService {
    static final String NAME = "preprocess-worker";

    PreprocessWorkerComponent(StackConfig config) {
        super(config, NAME, "preprocess-worker");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String portSetting() {
        return "-Dtriplane.worker.port=N or TRIPLANE_WORKER_PORT=N";
    }

    @Override
    protected int primaryPort() {
        return config.workerPort();
    }

    @Override
    protected String maxHeap() {
        // why: a scan is held as acquired (int16), rotated and windowed, with the registration's pyramids
        // and samples, the intracranial mask and the atlas labels on both grids, about 7 bytes per voxel:
        // a thin-slice 512×512×600 scan ran out of 1 GB and used 1.35 GB (StackConfig.PREPROCESS_MAX_HEAP)
        return StackConfig.PREPROCESS_MAX_HEAP;
    }
}
