package org.triplane.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.TaskLifecycle;

/**
 * Every worker's readiness: ready while the job database answers and the bucket exists, the two
 * things no task can do without; reports whether the consumer holds partitions (a worker with none
 * is idle, not broken: its group has more members than the topic has partitions). A worker adds a
 * readiness check of its own only for what is its own (the gpu-worker its device).
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    private final TaskLifecycle tasks;
    private final ObjectStore objects;
    private final WorkerConsumer consumer;

    public WorkerReadiness(TaskLifecycle tasks, ObjectStore objects, WorkerConsumer consumer) {
        this.tasks = tasks;
        this.objects = objects;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean db = tasks.reachable();
        boolean bucket = objects.reachable();
        return HealthCheckResponse.named("worker").status(db && bucket).withData("postgres", db)
                .withData("objectStore", bucket).withData("bucket", objects.bucket())
                .withData("consumerAssigned", consumer.assigned()).build();
    }
}
