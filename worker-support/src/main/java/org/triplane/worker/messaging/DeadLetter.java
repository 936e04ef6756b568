package org.triplane.worker.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * A message this worker gave up on, as published to {@code triplane.dead-letter} (JSON, key = the
 * scan id when known). Enough for a person to find the input and act on the reason.
 *
 * @param consumer    who gave up (the worker's consumer name)
 * @param workerId    which instance
 * @param reason      what is wrong, in words a person can act on
 * @param sourceTopic topic of the message, or {@code null} when a requeued task (no message) failed
 * @param partition   its partition, or −1
 * @param offset      its offset, or −1
 * @param tenantId    tenant, when known
 * @param jobId       job, when known
 * @param scanId      scan, when known
 * @param taskId      preprocess task, when one exists
 * @param payload     the message value as received, or {@code null}
 * @param failedAt    when the worker gave up (UTC)
 */
public record DeadLetter(String consumer, String workerId, String reason, String sourceTopic, int partition, long offset,
                         UUID tenantId, UUID jobId, UUID scanId, UUID taskId, String payload, Instant failedAt) {
}
