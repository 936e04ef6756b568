package org.triplane.gpu.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.gpu.device.DeviceGate;
import org.triplane.gpu.device.DeviceStatus;
import org.triplane.gpu.messaging.TaskConsumer;
import org.triplane.gpu.service.VolumePrefetch;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.TaskLifecycle;

/**
 * Ready while the job database answers, the bucket exists and the worker has its device (a worker
 * configured for a GPU that it cannot use is never ready); reports the device with libtorch's, CUDA's
 * and cuDNN's versions, precision and batch size ({@link DeviceGate#healthData()}), whether the consumer
 * holds partitions, and the bytes of volumes fetched ahead of their tasks ({@link VolumePrefetch}).
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    private final TaskLifecycle tasks;
    private final ObjectStore objects;
    private final TaskConsumer consumer;
    private final DeviceGate device;
    private final VolumePrefetch prefetch;

    public WorkerReadiness(TaskLifecycle tasks, ObjectStore objects, TaskConsumer consumer, DeviceGate device,
                           VolumePrefetch prefetch) {
        this.tasks = tasks;
        this.prefetch = prefetch;
        this.objects = objects;
        this.consumer = consumer;
        this.device = device;
    }

    @Override
    public HealthCheckResponse call() {
        boolean db = tasks.reachable();
        boolean bucket = objects.reachable();
        DeviceStatus d = device.status();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("gpu-worker").status(db && bucket && d.usable())
                .withData("postgres", db).withData("objectStore", bucket).withData("consumerAssigned", consumer.assigned());
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
