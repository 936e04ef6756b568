package org.triplane.db.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Idempotent consumers: a consumer marks an event processed in the same transaction as the
 * event's effects. If the mark is refused the event was applied before (redelivery) and the
 * consumer skips it; if the transaction rolls back, so does the mark, and the redelivery is
 * applied afresh.
 */
public final class ProcessedEvents {

    private ProcessedEvents() {
    }

    /**
     * Records that {@code consumer} applied {@code eventId}; call it in the transaction of the
     * event's effects.
     *
     * @param c        transaction
     * @param consumer consumer name (one per service and purpose)
     * @param eventId  the event's id
     * @return {@code true} the first time, {@code false} when already processed (skip the event)
     * @throws SQLException on database errors
     */
    public static boolean markProcessed(Connection c, String consumer, String eventId) throws SQLException {
        if (consumer == null || consumer.isBlank()) {
            throw new IllegalArgumentException("consumer: required");
        }
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("eventId: required");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO processed_events (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, consumer);
            ps.setString(2, eventId);
            return ps.executeUpdate() == 1;
        }
    }
}
