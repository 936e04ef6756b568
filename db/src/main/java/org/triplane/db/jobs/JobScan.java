package org.triplane.db.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code job_scans}: one scan of one job and its progress.
 *
 * @param id        row id (the transition log's entity id)
 * @param tenantId  owning tenant
 * @param jobId     the job
 * @param scanId    the scan
 * @param state     per-scan state
 * @param error     why this scan failed, or {@code null}
 * @param version   optimistic-locking counter
 * @param updatedAt instant of the last change
 */
public record JobScan(
        UUID id, UUID tenantId, UUID jobId, UUID scanId, JobScanState state, String error, long version,
        Instant updatedAt) {
}
