package org.triplane.gpu.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.gpu.device.DeviceGate;
import org.triplane.gpu.device.DeviceStatus;
import org.triplane.gpu.service.VolumePrefetch;

/**
 * The gpu-worker's own readiness, beside the kit's ({@link org.triplane.worker.messaging.WorkerReadiness}:
 * database and bucket): ready while the worker has its device (a worker configured for a GPU that it
 * cannot use is never ready); reports the device with libtorch's, CUDA's and cuDNN's versions,
 * precision and batch size ({@link DeviceGate#healthData()}), and the bytes of volumes fetched ahead
 * of their tasks ({@link VolumePrefetch}).
 */
@Readiness
@ApplicationScoped
public class DeviceReadiness implements HealthCheck {
    private final DeviceGate device;
    private final VolumePrefetch prefetch;

    public DeviceReadiness(DeviceGate device, VolumePrefetch prefetch) {
        this.device = device;
        this.prefetch = prefetch;
    }

    @Override
    public HealthCheckResponse call() {
        DeviceStatus d = device.status();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("device").status(d.usable());
        device.healthData().forEach((k, v) -> {
            if (v instanceof Boolean b) {
                r.withData(k, b);
            } else if (v instanceof Number n) {
                r.withData(k, n.longValue());
            } else {
                r.withData(k, String.valueOf(v));
            }
        });
        return r.withData("prefetch", prefetch.enabled()).withData("prefetchedBytes", prefetch.heldBytes()).build();
    }
}
