package org.triplane.db;

import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database: where connections come from, how to migrate it and how to run
 * transactions on it.
 *
 * <p>{@link #connect} uses the driver's unpooled data source (one physical connection per
 * transaction), which is enough for command-line tools, the sweeper and tests; services pass
 * their own pool to {@link #of}. Migrate with the schema owner's credentials only; services
 * connect as {@code triplane_app} or {@code triplane_worker} (see {@link Roles}).
 */
public final class Database {

    /** Classpath location of the Flyway migrations. */
    public static final String MIGRATIONS = "classpath:db/migration";

    /** Seconds to wait for a TCP connection before failing. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final DataSource dataSource;

    private Database(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * @param jdbcUrl  e.g. {@code jdbc:postgresql://127.0.0.1:5432/triplane}
     * @param user     role to log in as
     * @param password its password
     * @return a database backed by an unpooled data source
     */
    public static Database connect(String jdbcUrl, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        ds.setUser(Objects.requireNonNull(user, "user"));
        ds.setPassword(password);
        ds.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        ds.setApplicationName("triplane");
        return new Database(ds);
    }

    /**
     * @param dataSource an existing data source, typically a service's pool
     * @return a database using it
     */
    public static Database of(DataSource dataSource) {
        return new Database(dataSource);
    }

    /** @return the underlying data source */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return a transaction runner on this database */
    public Tx tx() {
        return new Tx(dataSource);
    }

    /**
     * Applies every pending migration; a no-op on an up-to-date schema.
     *
     * @return how many migrations ran and the resulting schema version
     */
    public Migration migrate() {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .load();
        MigrateResult result = flyway.migrate();
        String version = flyway.info().current() == null ? null : flyway.info().current().getVersion().getVersion();
        return new Migration(result.migrationsExecuted, version);
    }

    /**
     * Outcome of {@link #migrate()}.
     *
     * @param applied       migrations applied by this call
     * @param schemaVersion version of the newest applied migration, {@code null} on an empty schema
     */
    public record Migration(int applied, String schemaVersion) {
    }
}
