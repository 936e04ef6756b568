package org.triplane.fusion.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.fusion.config.FusionWorkerConfig;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The worker's identity and its task guard (lease, heartbeat, poison and transient handling);
 * singletons because both are final and need no client proxy.
 */
@ApplicationScoped
public class WorkerBeans {

    /** {@code triplane.fusion.worker-id}, else {@code fusion@<host>:<pid>}. */
    @Produces
    @Singleton
    WorkerIdentity identity(FusionWorkerConfig config) {
        return WorkerIdentity.of(config.workerId(), "fusion");
    }

    @Produces
    @Singleton
    TaskGuard guard(FusionLedger ledger, DeadLetters deadLetters, FusionWorkerConfig config, WorkerIdentity identity) {
        return new TaskGuard(ledger.lifecycle(), deadLetters, config.retry().backoff(), config.consumerName(), identity.id(),
                config.lease(), config.heartbeat());
    }
}
