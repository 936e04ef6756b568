package org.triplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Schema v1 of "train one plane's network for a TRAIN job". The event only triggers: scans, labels
 * and hyper-parameters are read from the job's rows in Postgres, which stay the record. Kafka key:
 * {@link #key()}, job and plane, so the three planes of a job spread over partitions and several
 * gpu-workers train them in parallel.
 *
 * @param schemaVersion always {@link #VERSION}
 * @param eventId       unique per event
 * @param tenantId      owning tenant
 * @param jobId         the TRAIN job
 * @param taskId        the TRAIN task's row
 * @param plane         which plane's network
 * @param occurredAt    creation time (UTC)
 */
public record TrainTask(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID taskId, Plane plane,
                        Instant occurredAt) {
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
    }

    /** Kafka record key: {@code jobId:plane}. */
    public String key() {
        return jobId + ":" + plane.wireName();
    }
}
