package org.triplane.deploy.local;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;

/** JDBC checks against a PostgreSQL server, each with short timeouts. */
final class PostgresProbe {
    private final String user;
    private final String password;

    PostgresProbe(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** Connects and runs {@code SELECT 1}; throws if either fails. */
    void selectOne(String jdbcUrl) throws SQLException {
        try (Connection c = connect(jdbcUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                throw new SQLException("SELECT 1 did not return 1");
            }
        }
    }

    /**
     * Creates the database unless it exists, connected to the server's {@code postgres} database.
     *
     * @return whether it was created
     */
    boolean ensureDatabase(String adminJdbcUrl, String database) throws SQLException {
        try (Connection c = connect(adminJdbcUrl)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
            return true;
        }
    }

    private Connection connect(String jdbcUrl) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "5");
        p.setProperty("socketTimeout", "10");
        p.setProperty("ApplicationName", "triplane-stack");
        // why: the driver directly, not DriverManager, whose service lookup a shaded jar can lose
        Connection c = new Driver().connect(jdbcUrl, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        return c;
    }
}
