package org.triplane.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * The database roles services log in as. The migrations create them without login; a deployment
 * gives each a password with {@link #enableLogin} (as the owner), so no secret is ever in a
 * migration.
 *
 * <ul>
 *   <li>{@link #APP}: REST-facing code. Row-level security applies: it sees only the rows of the
 *       tenant its transaction set ({@link Tx#inTenant}) and none without one.</li>
 *   <li>{@link #WORKER}: pipeline workers, the lease sweeper and the outbox relay. They take work
 *       from every tenant's queue, which a per-tenant policy cannot express, so the role has
 *       BYPASSRLS; it never runs code on behalf of a client request.</li>
 * </ul>
 */
public final class Roles {

    /** Role for client-facing services; row-level security enforced. */
    public static final String APP = "triplane_app";
    /** Role for cross-tenant background work; bypasses row-level security. */
    public static final String WORKER = "triplane_worker";

    private static final Set<String> KNOWN = Set.of(APP, WORKER);

    private Roles() {
    }

    /**
     * Lets a role log in with a password (hashed with SCRAM-SHA-256 by the driver before it is sent).
     *
     * @param owner    connection of a role allowed to alter {@code role} (the schema owner)
     * @param role     {@link #APP} or {@link #WORKER}
     * @param password the new password
     * @throws SQLException when the database refuses
     */
    public static void enableLogin(Connection owner, String role, char[] password) throws SQLException {
        Objects.requireNonNull(password, "password");
        // why: role names cannot be bind parameters; only the two known names are ever spliced in
        if (!KNOWN.contains(role)) {
            throw new IllegalArgumentException("role: not a triplane role: " + role);
        }
        try (Statement st = owner.createStatement()) {
            st.execute("ALTER ROLE " + role + " LOGIN");
        }
        owner.unwrap(PGConnection.class).alterUserPassword(role, password, "scram-sha-256");
    }
}
