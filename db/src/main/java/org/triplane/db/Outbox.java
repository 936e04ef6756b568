package org.triplane.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox. Appending happens in the caller's transaction, so the event exists
 * exactly when the rows it describes do. A relay (role {@code triplane_worker}) fetches
 * unpublished events with locks that other relays skip, publishes them and marks them in the same
 * transaction; a crash between publish and commit republishes, which consumers absorb with
 * {@link ProcessedEvents}.
 */
final class Outbox {

    private Outbox() {
    }

    static UUID append(Connection c, OutboxMessage m) throws SQLException {
        // why: the id is made here because the app role may insert but not read the outbox
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (id, aggregate, topic, key, payload) VALUES (?, ?, ?, ?, ?::jsonb)""")) {
            Rows.setUuid(ps, 1, id);
            ps.setString(2, m.aggregate());
            ps.setString(3, m.topic());
            ps.setString(4, m.key());
            ps.setString(5, m.payloadJson());
            ps.executeUpdate();
        }
        return id;
    }

    static List<OutboxEntry> fetchUnpublished(Connection c, int limit) throws SQLException {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: must be positive, got " + limit);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            ps.setInt(1, limit);
            return Rows.list(ps, Outbox::map);
        }
    }

    static int markPublished(Connection c, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE outbox SET published_at = now() WHERE id = ANY (?::uuid[]) AND published_at IS NULL""")) {
            Rows.setUuids(c, ps, 1, ids);
            return ps.executeUpdate();
        }
    }

    private static OutboxEntry map(ResultSet rs) throws SQLException {
        return new OutboxEntry(Rows.uuid(rs, "id"), rs.getLong("seq"), rs.getString("aggregate"), rs.getString("topic"),
                rs.getString("key"), rs.getString("payload"), Rows.instant(rs, "created_at"));
    }
}
