package org.triplane.gateway.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.triplane.db.Tx;

/**
 * The two connection pools: the default one logs in as {@code triplane_app} (row-level security:
 * every client request runs in {@link Tx#inTenant}), {@code worker} as {@code triplane_worker}
 * (the outbox relay only).
 */
@ApplicationScoped
public class Databases {

    private final Tx app;
    private final Tx worker;

    @Inject
    public Databases(AgroalDataSource app, @DataSource("worker") AgroalDataSource worker) {
        this.app = new Tx(app);
        this.worker = new Tx(worker);
    }

    /** @return transactions as {@code triplane_app} */
    public Tx app() {
        return app;
    }

    /** @return transactions as {@code triplane_worker}; never for client requests */
    public Tx worker() {
        return worker;
    }
}
