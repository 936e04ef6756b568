package org.triplane.preprocess.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.db.Database;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The worker's identity, its dead letters and its task guard (lease, heartbeat, poison and
 * transient handling); singletons because all three are final and need no client proxy.
 */
@ApplicationScoped
public class WorkerBeans {

    /** {@code triplane.preprocess.worker-id}, else {@code preprocess@<host>:<pid>}. */
    @Produces
    @Singleton
    WorkerIdentity identity(WorkerConfig config) {
        return WorkerIdentity.of(config.workerId(), "preprocess");
    }

    @Produces
    @Singleton
    DeadLetters deadLetters(AgroalDataSource dataSource, WorkerConfig config, WorkerIdentity identity) {
        return new DeadLetters(Database.of(dataSource).tx(), config.retry().backoff(), config.consumerName(), identity.id());
    }

    @Produces
    @Singleton
    TaskGuard guard(TaskLedger ledger, DeadLetters deadLetters, WorkerConfig config) {
        return new TaskGuard(ledger.lifecycle(), deadLetters, config.lease(), config.heartbeat());
    }
}
