package org.triplane.deploy.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker service of the stack: what the three workers have alike, so that each keeps only its
 * name, port and heap (and the gpu-worker its native library's needs). A worker takes the shared
 * worker settings ({@link WorkerSettings}: the worker role's login, Kafka, the bucket), runs with the
 * optimising compiler because its tasks are long computations, and is ready when its health says so.
 */
abstract class WorkerService extends QuarkusService {

    protected WorkerService(StackConfig config, String name, String module) {
        super(config, name, module);
    }

    /** The setting that moves its port, as the ports' clash message names it. */
    protected abstract String portSetting();

    @Override
    public List<Ports.Use> ports() {
        return List.of(new Ports.Use(name(), "HTTP", primaryPort(), portSetting()));
    }

    @Override
    protected Map<String, String> settings() {
        return WorkerSettings.of(config);
    }

    @Override
    protected String url() {
        return StackConfig.localUrl(primaryPort());
    }

    @Override
    protected String readyMessage() {
        return "ready, health at " + url() + "/q/health/ready";
    }

    @Override
    protected Map<String, Object> endpoints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url());
        return m;
    }

    @Override
    protected boolean computeBound() {
        return true;
    }
}
