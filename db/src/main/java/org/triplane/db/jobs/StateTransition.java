package org.triplane.db.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of the append-only {@code state_transitions} log.
 *
 * @param id         position in the log (increasing)
 * @param tenantId   owning tenant
 * @param entityType kind of row that changed
 * @param entityId   id of the row that changed
 * @param fromState  state before, {@code null} at creation
 * @param toState    state after
 * @param at         instant of the change (database clock)
 * @param actor      who changed it: worker id, service or user
 * @param attempt    task attempt it belongs to, {@code null} for jobs and job scans
 * @param reason     why, or {@code null}
 */
public record StateTransition(
        long id,
        UUID tenantId,
        EntityType entityType,
        UUID entityId,
        String fromState,
        String toState,
        Instant at,
        String actor,
        Integer attempt,
        String reason) {
}
