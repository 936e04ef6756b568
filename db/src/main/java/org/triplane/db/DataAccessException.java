package org.triplane.db;

import java.sql.SQLException;

/**
 * Unchecked wrapper for a {@link SQLException}, keeping the SQLSTATE so callers can tell a
 * constraint or row-level-security violation from a broken connection without parsing messages.
 */
public class DataAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** SQLSTATE of a unique-constraint violation. */
    public static final String UNIQUE_VIOLATION = "23505";
    /** SQLSTATE of a permission or row-level-security refusal. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** SQLSTATE of the cause, kept because callers branch on it. */
    private final String sqlState;

    /**
     * @param message what was being done
     * @param cause   the driver's exception
     */
    public DataAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    /** @return the SQLSTATE reported by PostgreSQL, or {@code null} when the driver gave none */
    public String sqlState() {
        return sqlState;
    }
}
