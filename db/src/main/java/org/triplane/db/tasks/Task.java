package org.triplane.db.tasks;

import java.time.Instant;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * A row of {@code tasks}. Pass it back unchanged to {@link Tasks#transition}: its state and
 * version are what the compare-and-set expects, so a worker whose lease was reclaimed meanwhile
 * cannot overwrite the new owner's work.
 *
 * @param id          task id
 * @param tenantId    owning tenant
 * @param jobId       the job
 * @param scanId      the scan, {@code null} for job-wide tasks
 * @param kind        which worker it is for
 * @param plane       the plane, or {@code null}
 * @param fold        the cross-validation fold 1..k of a k-fold job's TRAIN task, else {@code null}
 * @param state       lifecycle state
 * @param attempt     number of the current or next run, from 1
 * @param maxAttempts runs allowed before an expired lease fails it
 * @param worker      lease holder (or last holder), or {@code null}
 * @param leaseUntil  instant the lease expires unless extended, {@code null} unless RUNNING
 * @param heartbeatAt instant of the last heartbeat, or {@code null}
 * @param createdAt   instant of creation
 * @param startedAt   instant the current attempt started, or {@code null}
 * @param finishedAt  instant it reached a terminal state, or {@code null}
 * @param error       why it failed, or {@code null}
 * @param device      where it ran (e.g. {@code cuda:0}), or {@code null}
 * @param timingsJson per-phase wall-clock durations, JSON object of seconds
 * @param version     optimistic-locking counter
 */
public record Task(
        UUID id,
        UUID tenantId,
        UUID jobId,
        UUID scanId,
        TaskKind kind,
        Plane plane,
        Integer fold,
        TaskState state,
        int attempt,
        int maxAttempts,
        String worker,
        Instant leaseUntil,
        Instant heartbeatAt,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        String device,
        String timingsJson,
        long version) {

    /** A task without a fold, as every task but a k-fold job's TRAIN tasks is. */
    public Task(UUID id, UUID tenantId, UUID jobId, UUID scanId, TaskKind kind, Plane plane, TaskState state, int attempt,
                int maxAttempts, String worker, Instant leaseUntil, Instant heartbeatAt, Instant createdAt,
                Instant startedAt, Instant finishedAt, String error, String device, String timingsJson, long version) {
        this(id, tenantId, jobId, scanId, kind, plane, null, state, attempt, maxAttempts, worker, leaseUntil, heartbeatAt,
                createdAt, startedAt, finishedAt, error, device, timingsJson, version);
    }
}
