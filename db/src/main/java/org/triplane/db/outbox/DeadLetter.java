package org.triplane.db.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * Input a worker gave up on, with the reason: a row of {@code dead_letters} and, as JSON, the
 * record published to {@code triplane.dead-letter} (key = the scan id when known). Enough for a
 * person to find the input and act on the reason.
 *
 * <p>Its natural key makes recording it idempotent: a message is the consumer with the message's
 * topic, partition and offset; a claimed task (no message in hand) is the task id.
 *
 * @param consumer    who gave up (the worker's consumer name)
 * @param workerId    which instance
 * @param reason      what is wrong, in words a person can act on
 * @param sourceTopic topic of the message, or {@code null} when a claimed task failed
 * @param partition   its partition, or −1
 * @param offset      its offset, or −1
 * @param tenantId    tenant, when known
 * @param jobId       job, when known
 * @param scanId      scan, when known
 * @param taskId      task, when one exists
 * @param payload     the message value as received, or {@code null}
 * @param failedAt    when the worker gave up (UTC)
 */
public record DeadLetter(String consumer, String workerId, String reason, String sourceTopic, int partition, long offset,
                         UUID tenantId, UUID jobId, UUID scanId, UUID taskId, String payload, Instant failedAt) {

    /** Validates the natural key and the required fields, naming the one that is wrong. */
    public DeadLetter {
        required(consumer, "consumer");
        required(workerId, "workerId");
        required(reason, "reason");
        if (failedAt == null) {
            throw new IllegalArgumentException("failedAt: required");
        }
        if (sourceTopic == null ? taskId == null : partition < 0 || offset < 0) {
            throw new IllegalArgumentException("sourceTopic: a message's topic, partition and offset, or else a taskId, "
                    + "are required (the letter's natural key)");
        }
        if (sourceTopic == null) {
            partition = -1;
            offset = -1;
        }
        // why: PostgreSQL's text and jsonb cannot hold U+0000, and poison input may carry it
        reason = withoutNul(reason);
        payload = withoutNul(payload);
    }

    /** @return whether the letter is about a message (else about a claimed task) */
    public boolean ofMessage() {
        return sourceTopic != null;
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": required");
        }
    }

    private static String withoutNul(String s) {
        return s == null ? null : s.replace('\u0000', '\uFFFD');
    }
}
