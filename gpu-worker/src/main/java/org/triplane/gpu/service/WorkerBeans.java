package org.triplane.gpu.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The worker's identity and its task guard (lease, heartbeat, poison and transient handling);
 * singletons because both are final and need no client proxy.
 */
@ApplicationScoped
public class WorkerBeans {

    /** {@code triplane.gpu.worker-id}, else {@code gpu@<host>:<pid>}. */
    @Produces
    @Singleton
    WorkerIdentity identity(GpuWorkerConfig config) {
        return WorkerIdentity.of(config.workerId(), "gpu");
    }

    @Produces
    @Singleton
    TaskGuard guard(GpuLedger ledger, DeadLetters deadLetters, GpuWorkerConfig config, WorkerIdentity identity) {
        return new TaskGuard(ledger.lifecycle(), deadLetters, config.retry().backoff(), config.consumerName(), identity.id(),
                config.lease(), config.heartbeat());
    }
}
