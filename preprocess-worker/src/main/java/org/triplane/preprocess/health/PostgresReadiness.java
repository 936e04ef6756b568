package org.triplane.preprocess.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.preprocess.service.TaskLedger;

/** Ready only while the job database answers {@code SELECT 1}. */
@Readiness
@ApplicationScoped
public class PostgresReadiness implements HealthCheck {
    private final TaskLedger ledger;

    public PostgresReadiness(TaskLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("postgres").status(ledger.lifecycle().reachable()).build();
    }
}
