package org.triplane.deploy.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One preprocess-worker: consumes scan events, windows each scan and creates its plane tasks. It
 * logs in as the worker role, whose login the gateway enables at start, so it starts after the
 * gateway is ready.
 */
final class PreprocessWorkerComponent extends QuarkusService {
    static final String NAME = "preprocess-worker";

    PreprocessWorkerComponent(StackConfig config) {
        super(config, NAME, "preprocess-worker");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Ports.Use> ports() {
        return List.of(new Ports.Use(NAME, "HTTP", config.workerPort(), "-Dtriplane.worker.port=N or TRIPLANE_WORKER_PORT=N"));
    }

    @Override
    protected Map<String, String> settings() {
        return WorkerSettings.of(config);
    }

    @Override
    protected String url() {
        return config.workerUrl();
    }

    @Override
    protected String readyMessage() {
        return "ready, health at " + config.workerUrl() + "/q/health/ready";
    }

    @Override
    protected int primaryPort() {
        return config.workerPort();
    }

    @Override
    protected Map<String, Object> endpoints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", config.workerUrl());
        return m;
    }

    @Override
    protected boolean computeBound() {
        return true;
    }

    @Override
    protected String maxHeap() {
        // why: a scan is held as acquired (int16), rotated and windowed, with the registration's pyramids
        // and samples, the intracranial mask and the atlas labels on both grids, about 7 bytes per voxel:
        // a thin-slice 512×512×600 scan ran out of 1 GB and used 1.35 GB (StackConfig.PREPROCESS_MAX_HEAP)
        return StackConfig.PREPROCESS_MAX_HEAP;
    }
}
