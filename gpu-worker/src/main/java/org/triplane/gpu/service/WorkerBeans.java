package org.triplane.gpu.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.db.Database;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The worker's identity, its dead letters and its task guard (lease, heartbeat, poison and
 * transient handling); singletons because all three are final and need no client proxy.
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
    DeadLetters deadLetters(AgroalDataSource dataSource, GpuWorkerConfig config, WorkerIdentity identity) {
        return new DeadLetters(Database.of(dataSource).tx(), config.retry().backoff(), config.consumerName(), identity.id());
    }

    @Produces
    @Singleton
    TaskGuard guard(GpuLedger ledger, DeadLetters deadLetters, GpuWorkerConfig config) {
        return new TaskGuard(ledger.lifecycle(), deadLetters, config.lease(), config.heartbeat());
    }
}
