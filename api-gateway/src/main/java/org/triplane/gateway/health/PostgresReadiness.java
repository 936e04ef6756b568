package org.triplane.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.gateway.service.Databases;

/** Ready when both pools (app and worker role) get a connection that answers {@code SELECT 1}. */
@Readiness
@ApplicationScoped
public class PostgresReadiness implements HealthCheck {

    @Inject
    Databases db;

    private static boolean ping(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.execute("SELECT 1");
        }
    }

    @Override
    public HealthCheckResponse call() {
        try {
            db.app().run(PostgresReadiness::ping);
            db.worker().run(PostgresReadiness::ping);
            return HealthCheckResponse.up("postgres");
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("postgres").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
