package org.triplane.worker.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.triplane.db.Database;
import org.triplane.db.Tx;
import org.triplane.objectstore.ObjectStore;
import org.triplane.objectstore.ObjectStoreAddress;
import org.triplane.worker.config.ObjectStoreConfig;
import org.triplane.worker.config.WorkerSettings;
import org.triplane.worker.messaging.DeadLetters;

/**
 * The beans every worker is built from, made once here from the worker's {@link WorkerSettings} (its
 * own config mapping) and its connection pool: transactions, identity, dead letters, the task
 * lifecycle, the guard around a task run, the lease sweep and the bucket ({@code triplane.s3.*}). Singletons because all are final and
 * need no client proxy.
 */
@ApplicationScoped
public class WorkerBeans {

    /** Transactions on the worker's pool, which logs in as {@code triplane_worker}. */
    @Produces
    @Singleton
    Tx tx(DataSource dataSource) {
        return Database.of(dataSource).tx();
    }

    /** {@code triplane.<worker>.worker-id}, else {@code <id-prefix>@<host>:<pid>}. */
    @Produces
    @Singleton
    WorkerIdentity identity(WorkerSettings settings) {
        return WorkerIdentity.of(settings.workerId(), settings.idPrefix());
    }

    @Produces
    @Singleton
    DeadLetters deadLetters(Tx tx, WorkerSettings settings, WorkerIdentity identity) {
        return new DeadLetters(tx, settings.retry().backoff(), settings.consumerName(), identity.id());
    }

    @Produces
    @Singleton
    TaskLifecycle lifecycle(Tx tx) {
        return new TaskLifecycle(tx);
    }

    @Produces
    @Singleton
    TaskGuard guard(TaskLifecycle lifecycle, DeadLetters deadLetters, WorkerSettings settings) {
        return new TaskGuard(lifecycle, deadLetters, settings.lease(), settings.heartbeat());
    }

    @Produces
    @Singleton
    LeaseSweep sweep(Tx tx) {
        return new LeaseSweep(tx);
    }

    @Produces
    @Singleton
    ObjectStore objectStore(ObjectStoreConfig c) {
        return new ObjectStore(new ObjectStoreAddress(c.endpoint(), c.accessKey(), c.secretKey(), c.region(), c.bucket(),
                c.connectTimeout(), c.ioTimeout()));
    }
}
