package org.triplane.preprocess.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.worker.run.TaskLifecycle;

/** Ready only while the job database answers {@code SELECT 1}. */
@Readiness
@ApplicationScoped
public class PostgresReadiness implements HealthCheck {
    private final TaskLifecycle tasks;

    public PostgresReadiness(TaskLifecycle tasks) {
        this.tasks = tasks;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("postgres").status(tasks.reachable()).build();
    }
}
