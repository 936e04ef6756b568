package org.triplane.fusion.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.fusion.messaging.PlaneResultConsumer;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.TaskLifecycle;

/** Ready while the job database answers and the bucket exists; reports whether the consumer holds partitions. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    private final TaskLifecycle tasks;
    private final ObjectStore objects;
    private final PlaneResultConsumer consumer;

    public WorkerReadiness(TaskLifecycle tasks, ObjectStore objects, PlaneResultConsumer consumer) {
        this.tasks = tasks;
        this.objects = objects;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean db = tasks.reachable();
        boolean bucket = objects.reachable();
        return HealthCheckResponse.named("fusion-worker").status(db && bucket).withData("postgres", db)
                .withData("objectStore", bucket).withData("consumerAssigned", consumer.assigned()).build();
    }
}
