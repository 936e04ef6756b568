package org.triplane.gpu.device;

import ai.djl.util.cuda.CudaUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.segmentation.infer.GpuMemory;

/**
 * This worker's device and how it runs inference there ({@link InferencePlan}: precision, batch size),
 * decided once (loading libtorch on the way) and said once in the log: the consumer takes tasks only
 * when there is a device and the settings are valid, readiness reports both, and every task runs so.
 */
@ApplicationScoped
public class DeviceGate {
    private static final Logger LOG = Logger.getLogger(DeviceGate.class);

    private final String setting;
    private final String precisionSetting;
    private final int batchSize;
    private final int maxBatchSize;
    private DeviceStatus status;
    private InferencePlan plan;

    public DeviceGate(GpuWorkerConfig config) {
        this.setting = config.device();
        this.precisionSetting = config.precision();
        this.batchSize = config.batchSize();
        this.maxBatchSize = config.maxBatchSize();
    }

    public synchronized DeviceStatus status() {
        if (status == null) {
            DeviceStatus decided = DeviceDecision.decide(setting, Libtorch::load);
            if (decided.usable()) {
                try {
                    plan = new InferencePlan(decided.device(),
                            DeviceDecision.precision(precisionSetting, decided.device(), CudaUtils::getComputeCapability),
                            batchSize, maxBatchSize, GpuMemory::free);
                } catch (IllegalArgumentException e) {
                    decided = DeviceStatus.unusable(setting, e.getMessage(), decided.libtorch());
                }
            }
            status = decided;
            if (status.usable()) {
                LOG.infof("gpu-worker: running on %s %s, inference %s", status.name(), status.recordFields(),
                        plan.healthData());
            } else {
                LOG.errorf("gpu-worker: not ready, taking no tasks: %s", status.problem());
            }
        }
        return status;
    }

    /** @throws IllegalStateException with the problem when the worker has no device */
    public synchronized InferencePlan plan() {
        if (!status().usable()) {
            throw new IllegalStateException(status.problem());
        }
        return plan;
    }

    /** The device's health data ({@link DeviceStatus#healthData()}) with the plan's, or the settings when there is none. */
    public synchronized Map<String, Object> healthData() {
        Map<String, Object> data = new LinkedHashMap<>(status().healthData());
        if (plan != null) {
            data.putAll(plan.healthData());
        } else {
            data.put("precision", precisionSetting);
            data.put("batchSize", batchSize);
        }
        return data;
    }
}
