package org.triplane.deploy.local;

/**
 * One fusion-worker: once a scan's three planes are done, votes them into one label map on the
 * scan's own grid and records metrics and statistics. It logs in as the worker role, so it starts
 * after the gateway (and after the preprocess-worker, beside the gpu-worker).
 */
final class FusionWorkerComponent extends WorkerService {
    static final String NAME = "fusion-worker";

    FusionWorkerComponent(StackConfig config) {
        super(config, NAME, "fusion-worker");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String portSetting() {
        return "-Dtriplane.fusion.port=N or TRIPLANE_FUSION_PORT=N";
    }

    @Override
    protected int primaryPort() {
        return config.fusionWorkerPort();
    }

    @Override
    protected String maxHeap() {
        // why: fusing a scan holds three planes' labels and confidences, the atlas method, the CT (int16),
        // the reference labels and both fused volumes at once, about 10 bytes per voxel: a study-size scan
        // needs half a gigabyte, a thin-slice 512×512×600 scan ran out of 1536 MB (StackConfig.FUSION_MAX_HEAP)
        return StackConfig.FUSION_MAX_HEAP;
    }
}
