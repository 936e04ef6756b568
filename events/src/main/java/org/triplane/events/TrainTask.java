package org.triplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * Schema v1 of "train one plane's network for a TRAIN job" (for a k-fold job: one plane of one
 * fold). The event only triggers: scans, labels, hyper-parameters and the fold are read from the
 * job's and the task's rows in Postgres, which stay the record. Kafka key: {@link #key()}, job,
 * plane and fold, so the planes and folds of a job spread over partitions and several gpu-workers
 * train them in parallel.
 *
 * <p>{@code fold} was added within v1 as an optional field: an event written before it existed
 * has none and reads as {@code null} (no k-fold), which is what it meant.
 *
 * @param schemaVersion always {@link #VERSION}
 * @param eventId       unique per event
 * @param tenantId      owning tenant
 * @param jobId         the TRAIN job
 * @param taskId        the TRAIN task's row
 * @param plane         which plane's network
 * @param occurredAt    creation time (UTC)
 * @param fold          the cross-validation fold 1..k of a k-fold job's task, {@code null} for a job without folds
 */
public record TrainTask(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID taskId, Plane plane,
                        Instant occurredAt, Integer fold) {
    public static final int VERSION = 1;

    public TrainTask {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(plane, "plane");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (schemaVersion != VERSION) {
            throw new IllegalArgumentException("TrainTask schemaVersion " + schemaVersion + " is not supported (expected " + VERSION + ")");
        }
        if (fold != null && fold < 1) {
            throw new IllegalArgumentException("TrainTask fold " + fold + ": folds are numbered from 1");
        }
    }

    /** The event of a task without a fold. */
    public TrainTask(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID taskId, Plane plane,
                     Instant occurredAt) {
        this(schemaVersion, eventId, tenantId, jobId, taskId, plane, occurredAt, null);
    }

    /** Kafka record key: {@code jobId:plane}, or {@code jobId:plane:fold<i>} for fold i of a k-fold job. */
    public String key() {
        return jobId + ":" + plane.wireName() + (fold == null ? "" : ":fold" + fold);
    }
}
