package org.triplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * Schema v1 of "predict (or train) one plane of one preprocessed scan". Kafka key: {@link #key()},
 * scan and plane together, so the three planes of a scan spread over partitions and gpu-workers.
 *
 * @param schemaVersion    always {@link #VERSION}
 * @param eventId          unique per event
 * @param tenantId         owning tenant
 * @param jobId            job
 * @param scanId           scan
 * @param taskId           the plane task's row in the job database
 * @param plane            which plane
 * @param volumeKey        object key of the preprocessed volume: one byte per voxel, x fastest
 *                         (window bytes, see {@code windowLow}/{@code windowHigh})
 * @param dims             grid of that volume, [nx, ny, nz]
 * @param spacing          voxel size, mm
 * @param origin           LPS position of voxel (0,0,0), mm
 * @param direction        direction cosines, row-major, LPS
 * @param windowLow        HU mapped to byte 0
 * @param windowHigh       HU mapped to byte {@code windowHigh − windowLow}
 * @param occurredAt       creation time (UTC)
 * @param rotatedToAtlas   the affine map from a point of the preprocessed (rotated) volume to the atlas
 *                         point showing the same anatomy, LPS mm: 12 numbers, the matrix row-major (9)
 *                         then the offset (3, mm), {@code x_atlas = M·p + offset}; from the scan's atlas
 *                         registration composed with its transform. {@code null} when unknown
 *
 * <p>{@code rotatedToAtlas} was added within v1 as an optional field: an event written before it
 * existed has none and reads as {@code null}, which is what it meant (no atlas inputs).
 */
public record PlaneTask(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID scanId, UUID taskId, Plane plane,
                        String volumeKey, int[] dims, double[] spacing, double[] origin, double[] direction,
                        double windowLow, double windowHigh, Instant occurredAt, double[] rotatedToAtlas) {
    public static final int VERSION = 1;

    public PlaneTask {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(plane, "plane");
        Objects.requireNonNull(volumeKey, "volumeKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (schemaVersion != VERSION) {
            throw new IllegalArgumentException("PlaneTask schemaVersion " + schemaVersion + " is not supported (expected " + VERSION + ")");
        }
        if (dims == null || dims.length != 3 || spacing == null || spacing.length != 3 || origin == null || origin.length != 3
                || direction == null || direction.length != 9) {
            throw new IllegalArgumentException("PlaneTask needs dims[3], spacing[3], origin[3] and direction[9]");
        }
        dims = dims.clone();
        spacing = spacing.clone();
        origin = origin.clone();
        direction = direction.clone();
        if (rotatedToAtlas != null) {
            if (rotatedToAtlas.length != 12 || !java.util.Arrays.stream(rotatedToAtlas).allMatch(Double::isFinite)) {
                throw new IllegalArgumentException("PlaneTask rotatedToAtlas needs 12 finite numbers (matrix row-major, offset mm), got "
                        + java.util.Arrays.toString(rotatedToAtlas));
            }
            rotatedToAtlas = rotatedToAtlas.clone();
        }
    }

    /** The event of a scan without an atlas map. */
    public PlaneTask(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID scanId, UUID taskId, Plane plane,
                     String volumeKey, int[] dims, double[] spacing, double[] origin, double[] direction,
                     double windowLow, double windowHigh, Instant occurredAt) {
        this(schemaVersion, eventId, tenantId, jobId, scanId, taskId, plane, volumeKey, dims, spacing, origin, direction,
                windowLow, windowHigh, occurredAt, null);
    }

    /** Kafka record key: {@code scanId:plane}. */
    public String key() {
        return scanId + ":" + plane.wireName();
    }
}
