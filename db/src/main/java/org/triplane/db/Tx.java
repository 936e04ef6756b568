package org.triplane.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Runs code in one database transaction: commit when it returns, roll back when it throws.
 *
 * <p>{@link #inTenant} first sets the transaction-local {@code triplane.tenant_id} (the same as
 * {@code SET LOCAL}), which the row-level-security policies read. Because the setting is
 * transaction-local it cannot leak to the next user of a pooled connection.
 * {@link #run} sets no tenant: under {@code triplane_app} tenant-owned tables then look empty,
 * under {@code triplane_worker} (BYPASSRLS) every tenant's rows are visible.
 */
public final class Tx {

    /**
     * Work done with the transaction's connection.
     *
     * @param <T> what the work returns
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * @param connection the transaction's connection; do not commit, roll back or close it
         * @return the work's result
         * @throws SQLException on any database error (the transaction is rolled back)
         */
        T apply(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    /** @param dataSource where connections come from (a pool or a plain data source) */
    public Tx(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Runs {@code work} in a transaction acting for one tenant.
     *
     * @param tenantId the tenant whose rows the transaction may see and write
     * @param work     what to do
     * @param <T>      result type
     * @return the work's result, after commit
     * @throws DataAccessException when the database fails; other exceptions of {@code work} pass
     *                             through unchanged after rollback
     */
    public <T> T inTenant(UUID tenantId, Work<T> work) {
        Objects.requireNonNull(tenantId, "tenantId");
        return execute(tenantId, work);
    }

    /**
     * Runs {@code work} in a transaction with no tenant set.
     *
     * @param work what to do
     * @param <T>  result type
     * @return the work's result, after commit
     * @throws DataAccessException when the database fails
     */
    public <T> T run(Work<T> work) {
        return execute(null, work);
    }

    private <T> T execute(UUID tenantId, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (tenantId != null) {
                    setTenant(c, tenantId);
                }
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                // why: a pooled connection goes back in the mode it was handed out in
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DataAccessException("transaction failed", e);
        }
    }

    private static void setTenant(Connection c, UUID tenantId) throws SQLException {
        // why: set_config(..., true) is SET LOCAL with a bind parameter instead of string splicing
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('triplane.tenant_id', ?, true)")) {
            ps.setString(1, tenantId.toString());
            ps.execute();
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
