package org.triplane.db.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code jobs}. Pass it back unchanged to {@link Jobs#transition}: its state and
 * version are what the compare-and-set expects.
 *
 * @param id             job id
 * @param tenantId       owning tenant
 * @param kind           what was asked for
 * @param state          lifecycle state
 * @param requestedBy    who asked
 * @param idempotencyKey the client's key
 * @param parametersJson options as submitted, a JSON object
 * @param modelSetId     model set run, or {@code null}
 * @param codeVersion    version of the code that accepted the job
 * @param createdAt      instant of submission
 * @param startedAt      instant it first became RUNNING, or {@code null}
 * @param finishedAt     instant it reached a terminal state, or {@code null}
 * @param error          why it failed, or {@code null}
 * @param version        optimistic-locking counter, raised by every update
 * @param modelSetDefault whether the job named no model set and runs {@code modelSetId} because it was the
 *                        default model set when the job was submitted
 */
public record Job(
        UUID id,
        UUID tenantId,
        JobKind kind,
        JobState state,
        String requestedBy,
        String idempotencyKey,
        String parametersJson,
        UUID modelSetId,
        String codeVersion,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        long version,
        boolean modelSetDefault) {
}
