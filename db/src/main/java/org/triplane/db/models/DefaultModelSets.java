package org.triplane.db.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/**
 * The default model set (role {@code triplane_worker} writes, any role reads): registering a
 * shipped set (with the fusion weights it ships with) and making it the default, idempotently, with
 * every change in {@code model_set_events}.
 */
public final class DefaultModelSets {

    /** Serialises registrations of concurrent gateway replicas (transaction-scoped advisory lock). */
    private static final long LOCK_KEY = 0x7472_6970_6c64_6566L;

    private DefaultModelSets() {
    }

    /**
     * Registers a model set that ships with the project and makes it the default, idempotently: the
     * same content ({@code sha256}) is one set with one id, registered once, with the fusion weights it
     * ships with (recorded also for a set found without them); a call finding it already the default
     * writes nothing more. Otherwise the change is logged in {@code model_set_events} (the set's
     * registration or restoration as the default, and the previous default's replacement).
     * Concurrent callers (gateway replicas starting together) take turns on an advisory lock.
     *
     * @param c transaction (role {@link Roles#WORKER})
     * @param r the set, its models (weights already stored under their keys) and the actor
     * @return what was done
     * @throws SQLException on database errors
     */
    public static DefaultRegistration registerShipped(Connection c, ShippedModelSetRegistration r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.executeQuery().close();
        }
        Optional<ModelSet> found = findByShippedSha(c, r.sha256());
        boolean inserted = found.isEmpty();
        if (inserted) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO model_sets (id, name, fusion_rule, code_version, shipped_sha256)
                    VALUES (?, ?, ?, ?, ?)""")) {
                Rows.setUuid(ps, 1, r.id());
                ps.setString(2, r.name());
                ps.setString(3, r.fusionRule());
                ps.setString(4, r.codeVersion());
                ps.setString(5, r.sha256());
                ps.executeUpdate();
            }
            for (Model m : r.models()) {
                Models.insert(c, m);
            }
        }
        UUID setId = found.map(ModelSet::id).orElse(r.id());
        // why also for a set found: a gateway from before fusion weights registered the same folder without them
        if (r.fusionWeights() != null) {
            ModelSetFusionWeights.record(c, r.fusionWeights());
        }
        Optional<ModelSet> current = findDefault(c);
        if (current.isPresent() && current.get().id().equals(setId)) {
            return new DefaultRegistration(current.get(), false, false);
        }
        if (current.isPresent()) {
            setDefault(c, current.get().id(), false);
            appendEvent(c, current.get().id(), ModelSetEvent.DEFAULT_REPLACED, r.actor(), current.get().shippedSha256(),
                    current.get().codeVersion(), "replaced by the shipped model set " + setId + " (SHA-256 " + r.sha256() + ")");
        }
        setDefault(c, setId, true);
        appendEvent(c, setId, inserted ? ModelSetEvent.SHIPPED_DEFAULT_REGISTERED : ModelSetEvent.DEFAULT_RESTORED,
                r.actor(), r.sha256(), r.codeVersion(), inserted
                        ? "registered from the shipped folder as the default model set for every tenant"
                        : "the shipped folder holds this set again: made the default model set for every tenant");
        ModelSet set = ModelSets.find(c, setId).orElseThrow();
        return new DefaultRegistration(set, inserted, true);
    }

    /**
     * @param c transaction (any role)
     * @return the default model set, empty when none is registered
     * @throws SQLException on database errors
     */
    public static Optional<ModelSet> findDefault(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM model_sets WHERE is_default")) {
            UUID id = Rows.single(ps, rs -> Rows.uuid(rs, "id"));
            return id == null ? Optional.empty() : ModelSets.find(c, id);
        }
    }

    /**
     * @param c          transaction (any role)
     * @param modelSetId a model set
     * @return the changes of its default status, in log order
     * @throws SQLException on database errors
     */
    public static List<ModelSetEvent> events(Connection c, UUID modelSetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM model_set_events WHERE model_set_id = ? ORDER BY id")) {
            Rows.setUuid(ps, 1, modelSetId);
            return Rows.list(ps, rs -> new ModelSetEvent(rs.getLong("id"), Rows.uuid(rs, "model_set_id"),
                    rs.getString("event"), Rows.instant(rs, "at"), rs.getString("actor"), rs.getString("sha256"),
                    rs.getString("code_version"), rs.getString("reason")));
        }
    }

    private static Optional<ModelSet> findByShippedSha(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM model_sets WHERE shipped_sha256 = ?")) {
            ps.setString(1, sha256);
            UUID id = Rows.single(ps, rs -> Rows.uuid(rs, "id"));
            return id == null ? Optional.empty() : ModelSets.find(c, id);
        }
    }

    private static void setDefault(Connection c, UUID setId, boolean isDefault) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE model_sets SET is_default = ? WHERE id = ?")) {
            ps.setBoolean(1, isDefault);
            Rows.setUuid(ps, 2, setId);
            ps.executeUpdate();
        }
    }

    private static void appendEvent(Connection c, UUID setId, String event, String actor, String sha256, String codeVersion,
                                    String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO model_set_events (model_set_id, event, actor, sha256, code_version, reason)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            Rows.setUuid(ps, 1, setId);
            ps.setString(2, event);
            ps.setString(3, actor);
            ps.setString(4, sha256);
            ps.setString(5, codeVersion);
            ps.setString(6, reason);
            ps.executeUpdate();
        }
    }
}
