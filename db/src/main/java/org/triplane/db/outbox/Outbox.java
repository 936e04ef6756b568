package org.triplane.db.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Roles;
import org.triplane.db.Rows;

/**
 * The transactional outbox. Appending happens in the caller's transaction, so the event exists
 * exactly when the rows it describes do. A relay (role {@code triplane_worker}) claims
 * unpublished events, publishes them and marks them in the same transaction; a crash between
 * publish and commit republishes, which consumers absorb with {@link ProcessedEvents}.
 *
 * <p>Several relays may claim at once (every service runs one). A claim takes, besides the row
 * locks, a transaction-scoped advisory lock per (topic, key): a relay only takes rows of the keys
 * it holds, and while one relay holds a key no other one takes a later row of it, so the rows of
 * one key reach Kafka in {@code seq} order whatever the number of relays. Rows without a key have
 * no order to keep and are only row-locked.
 *
 * <p>Its own store: the services call it directly, in the transaction of their rows.
 */
public final class Outbox {

    /**
     * First half of the two-integer advisory-lock key of an outbox key ({@code 'ob'}); the two-integer
     * keys are a space apart from the one-integer keys used elsewhere ({@code models.DefaultModelSets}).
     */
    static final int KEY_LOCK_CLASS = 0x6f62;

    private Outbox() {
    }

    /**
     * Appends an event in the caller's transaction; published only if that transaction commits.
     *
     * @param c transaction
     * @param m the event
     * @return the event id (consumers deduplicate on it)
     * @throws SQLException on database errors
     */
    public static UUID append(Connection c, OutboxMessage m) throws SQLException {
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

    /**
     * Claims the oldest unpublished rows whose key no other transaction holds.
     *
     * <p>Why it keeps per-key order: the inner query walks the unpublished rows in {@code seq} order
     * and tries each keyed row's lock until it has {@code limit} rows (the lock is a filter above an
     * ordered sub-select that {@code OFFSET 0} fences: without it PostgreSQL pushes the filter below
     * the sort and tries every unpublished row's key, holding keys it then does not claim); a key held by another relay fails the try, so its rows are passed
     * over, never a later one taken while an earlier one is out. The holder releases the key only
     * when its transaction ends, after it marked what it published; the outer {@code FOR UPDATE}
     * re-reads a row that changed since this statement's snapshot and drops it when that relay has
     * marked it, so the next holder starts at the key's oldest row still unpublished. Rows are locked
     * only once their key is held: no row of a key is ever locked by a relay that does not hold it,
     * so {@code SKIP LOCKED} passes over nothing but keyless rows another relay holds.
     *
     * @param c     transaction (role {@link Roles#WORKER}); the claimed rows and keys stay locked until it ends
     * @param limit most events returned
     * @return events in insertion order
     * @throws SQLException on database errors
     */
    public static List<OutboxEntry> fetchUnpublished(Connection c, int limit) throws SQLException {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: must be positive, got " + limit);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM outbox
                WHERE id = ANY (ARRAY(
                        SELECT u.id FROM (SELECT id, topic, key FROM outbox WHERE published_at IS NULL ORDER BY seq OFFSET 0) u
                        WHERE u.key IS NULL OR pg_try_advisory_xact_lock(?, hashtext(u.topic || ' ' || u.key))
                        LIMIT ?))
                  AND published_at IS NULL
                ORDER BY seq FOR UPDATE SKIP LOCKED""")) {
            ps.setInt(1, KEY_LOCK_CLASS);
            ps.setInt(2, limit);
            return Rows.list(ps, Outbox::map);
        }
    }

    /**
     * @param c   transaction in which the events were fetched
     * @param ids events the broker acknowledged
     * @return how many were newly marked
     * @throws SQLException on database errors
     */
    public static int markPublished(Connection c, Collection<UUID> ids) throws SQLException {
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
