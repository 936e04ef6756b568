package org.triplane.db.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Rows;

/** Appends to and reads the {@code state_transitions} log; the database refuses any other change. */
public final class TransitionLog {

    private TransitionLog() {
    }

    /**
     * Logs one state change. Called by the stores that make the change ({@link Jobs}, and the tasks'
     * store, which is why this is public), in the transaction of the change, never on its own.
     *
     * @param c        transaction of the change
     * @param tenantId the row's tenant
     * @param type     kind of row
     * @param entityId its id
     * @param from     the state left, {@code null} when the row is created
     * @param to       the state entered
     * @param actor    who made the change (required)
     * @param attempt  a task's attempt number, or {@code null}
     * @param reason   why, or {@code null}
     * @throws SQLException on database errors
     */
    public static void append(Connection c, UUID tenantId, EntityType type, UUID entityId, Enum<?> from, Enum<?> to,
            String actor, Integer attempt, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO state_transitions (tenant_id, entity_type, entity_id, from_state, to_state, actor, attempt, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            Rows.setUuid(ps, 1, tenantId);
            Rows.setEnum(ps, 2, type);
            Rows.setUuid(ps, 3, entityId);
            Rows.setEnum(ps, 4, from);
            Rows.setEnum(ps, 5, to);
            ps.setString(6, requireActor(actor));
            Rows.setInteger(ps, 7, attempt);
            ps.setString(8, reason);
            ps.executeUpdate();
        }
    }

    /**
     * @param c        transaction
     * @param type     kind of row
     * @param entityId its id
     * @return its state changes, oldest first
     * @throws SQLException on database errors
     */
    public static List<StateTransition> history(Connection c, EntityType type, UUID entityId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM state_transitions WHERE entity_type = ? AND entity_id = ? ORDER BY id""")) {
            Rows.setEnum(ps, 1, type);
            Rows.setUuid(ps, 2, entityId);
            return Rows.list(ps, TransitionLog::map);
        }
    }

    private static String requireActor(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor: required, the log must say who changed the state");
        }
        return actor;
    }

    private static StateTransition map(ResultSet rs) throws SQLException {
        return new StateTransition(
                rs.getLong("id"),
                Rows.uuid(rs, "tenant_id"),
                Rows.enumValue(rs, "entity_type", EntityType.class),
                Rows.uuid(rs, "entity_id"),
                rs.getString("from_state"),
                rs.getString("to_state"),
                Rows.instant(rs, "at"),
                rs.getString("actor"),
                Rows.nullableInt(rs, "attempt"),
                rs.getString("reason"));
    }
}
