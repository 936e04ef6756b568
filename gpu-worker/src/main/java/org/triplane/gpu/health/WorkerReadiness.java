package org.triplane.gpu.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.gpu.messaging.TaskConsumer;
import org.triplane.gpu.service.GpuLedger;
import org.triplane.gpu.service.ModelCache;
import org.triplane.worker.storage.ObjectStore;

/**
 * Ready while the job database answers and the bucket exists; reports the device models run on
 * and whether the consumer holds partitions.
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    private final GpuLedger ledger;
    private final ObjectStore objects;
    private final TaskConsumer consumer;
    private final ModelCache models;

    public WorkerReadiness(GpuLedger ledger, ObjectStore objects, TaskConsumer consumer, ModelCache models) {
        this.ledger = ledger;
        this.objects = objects;
        this.consumer = consumer;
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        boolean db = ledger.lifecycle().reachable();
        boolean bucket = objects.reachable();
        return HealthCheckResponse.named("gpu-worker").status(db && bucket).withData("postgres", db)
                .withData("objectStore", bucket).withData("consumerAssigned", consumer.assigned())
                .withData("device", models.deviceName()).build();
    }
}
