package org.triplane.gateway.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.triplane.db.Database;
import org.triplane.db.Roles;
import org.triplane.gateway.config.GatewayConfig;

/**
 * With {@code triplane.database.migrate-at-start}: migrates the schema as its owner and lets the
 * service roles log in, before anything else starts. Off in production, where migrations are a
 * deployment step of their own.
 */
@ApplicationScoped
public class DatabaseProvisioning {

    private static final Logger LOG = Logger.getLogger(DatabaseProvisioning.class);

    void onStart(@Observes @Priority(10) StartupEvent event, GatewayConfig config) {
        GatewayConfig.Database db = config.database();
        if (!db.migrateAtStart()) {
            return;
        }
        Database owner = Database.connect(db.url(), db.ownerUser(), db.ownerPassword());
        Database.Migration m = owner.migrate();
        try (Connection c = owner.dataSource().getConnection()) {
            Roles.enableLogin(c, Roles.APP, db.appPassword().toCharArray());
            Roles.enableLogin(c, Roles.WORKER, db.workerPassword().toCharArray());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot give the service roles login as " + db.ownerUser() + ": " + e.getMessage(), e);
        }
        LOG.infof("database migrated (%d applied, schema version %s); service roles may log in", m.applied(),
                m.schemaVersion());
    }
}
