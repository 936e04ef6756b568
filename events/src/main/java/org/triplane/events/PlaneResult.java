package org.triplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * Schema v1 of "one plane of one scan is predicted". The prediction lies on the preprocessed
 * (rotated) grid of the scan, two uint8 volumes, x fastest: labels 0..20 and confidence 0..255
 * (255 × the largest softmax probability). Kafka key: {@link #key()}, the scan, so that all planes
 * of a scan reach the same fusion-worker in order.
 *
 * @param schemaVersion always {@link #VERSION}
 * @param eventId       unique per event
 * @param tenantId      owning tenant
 * @param jobId         job
 * @param scanId        scan
 * @param taskId        the plane task's row
 * @param plane         which plane
 * @param modelId       the model that predicted it
 * @param labelsKey     object key of the label volume
 * @param confidenceKey object key of the confidence volume
 * @param occurredAt    creation time (UTC)
 */
public record PlaneResult(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID scanId, UUID taskId, Plane plane,
                          UUID modelId, String labelsKey, String confidenceKey, Instant occurredAt) {
    public static final int VERSION = 1;

    public PlaneResult {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(plane, "plane");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(labelsKey, "labelsKey");
        Objects.requireNonNull(confidenceKey, "confidenceKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (schemaVersion != VERSION) {
            throw new IllegalArgumentException("PlaneResult schemaVersion " + schemaVersion + " is not supported (expected " + VERSION + ")");
        }
    }

    /** Kafka record key: the scan id. */
    public String key() {
        return scanId.toString();
    }
}
