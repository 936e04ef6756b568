package org.triplane.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Schema v1 of "a stored scan waits for preprocessing in a job", published through the outbox once
 * the scan and job rows are committed. Kafka key: {@link #key()} (the scan id), so redeliveries of
 * one scan stay in order on one partition.
 *
 * @param schemaVersion always {@link #VERSION} for this record
 * @param eventId       unique per event; consumers record it to ignore redeliveries
 * @param tenantId      owning tenant
 * @param jobId         the job the scan is processed for
 * @param scanId        the scan
 * @param ctKey         object key of the CT (NIfTI, HU)
 * @param transformKey  object key of the uploaded ITK transform file, or {@code null} when the scan came
 *                      without one (the preprocess-worker then derives it from the atlas registration;
 *                      an event written before transforms became optional always has one)
 * @param labelsKey     object key of the label volume, or {@code null}
 * @param ctSha256      SHA-256 of the CT object, hex, checked before use
 * @param occurredAt    when the event was created (UTC instant)
 */
public record ScanEvent(int schemaVersion, UUID eventId, UUID tenantId, UUID jobId, UUID scanId, String ctKey,
                        String transformKey, String labelsKey, String ctSha256, Instant occurredAt) {
    public static final int VERSION = 1;

    public ScanEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(ctKey, "ctKey");
        Objects.requireNonNull(ctSha256, "ctSha256");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (schemaVersion != VERSION) {
            throw new IllegalArgumentException("ScanEvent schemaVersion " + schemaVersion + " is not supported (expected " + VERSION + ")");
        }
    }

    /** Kafka record key. */
    public String key() {
        return scanId.toString();
    }
}
