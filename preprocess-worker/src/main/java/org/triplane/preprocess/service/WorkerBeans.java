package org.triplane.preprocess.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The worker's identity and its task guard (lease, heartbeat, poison and transient handling);
 * singletons because both are final and need no client proxy.
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
    TaskGuard guard(TaskLedger ledger, DeadLetters deadLetters, WorkerConfig config, WorkerIdentity identity) {
        return new TaskGuard(ledger.lifecycle(), deadLetters, config.retry().backoff(), config.consumerName(), identity.id(),
                config.lease(), config.heartbeat());
    }
}
