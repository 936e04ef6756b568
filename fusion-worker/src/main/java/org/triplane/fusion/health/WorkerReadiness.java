package org.triplane.fusion.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.fusion.messaging.PlaneResultConsumer;
import org.triplane.fusion.service.FusionLedger;
import org.triplane.worker.storage.ObjectStore;

/** Ready while the job database answers and the bucket exists; reports whether the consumer holds partitions. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    private final FusionLedger ledger;
    private final ObjectStore objects;
    private final PlaneResultConsumer consumer;

    public WorkerReadiness(FusionLedger ledger, ObjectStore objects, PlaneResultConsumer consumer) {
        this.ledger = ledger;
        this.objects = objects;
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean db = ledger.lifecycle().reachable();
        boolean bucket = objects.reachable();
        return HealthCheckResponse.named("fusion-worker").status(db && bucket).withData("postgres", db)
                .withData("objectStore", bucket).withData("consumerAssigned", consumer.assigned()).build();
    }
}
