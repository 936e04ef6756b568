package org.triplane.gpu.device;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.triplane.gpu.config.GpuWorkerConfig;

/**
 * This worker's device, decided once (loading libtorch on the way) and said once in the log: the
 * consumer takes tasks only when there is one, readiness reports it, and every task runs on it.
 */
@ApplicationScoped
public class DeviceGate {
    private static final Logger LOG = Logger.getLogger(DeviceGate.class);

    private final String setting;
    private DeviceStatus status;

    public DeviceGate(GpuWorkerConfig config) {
        this.setting = config.device();
    }

    public synchronized DeviceStatus status() {
        if (status == null) {
            status = DeviceDecision.decide(setting, Libtorch::load);
            if (status.usable()) {
                LOG.infof("gpu-worker: running on %s %s", status.name(), status.recordFields());
            } else {
                LOG.errorf("gpu-worker: not ready, taking no tasks: %s", status.problem());
            }
        }
        return status;
    }
}
