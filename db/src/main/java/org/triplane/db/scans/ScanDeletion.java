package org.triplane.db.scans;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The record a deleted scan leaves: who deleted it, when, and the checksums of what was removed,
 * nothing of the patient data itself.
 *
 * @param scanId               the deleted scan
 * @param tenantId             its tenant
 * @param deletedAt            when
 * @param deletedBy            who: {@code api-key:<public prefix>}
 * @param ctSha256             SHA-256 of the stored CT object
 * @param ctUploadedSha256     SHA-256 of the CT part as uploaded, or {@code null}
 * @param transformSha256      SHA-256 of the transform object, or {@code null}
 * @param labelsSha256         SHA-256 of the stored labels object, or {@code null}
 * @param labelsUploadedSha256 SHA-256 of the labels part as uploaded, or {@code null}
 * @param jobIds               the finished jobs the scan was part of
 * @param objectsJson          every object removed from the object store, a JSON array of {@code {key, sha256, bytes}}
 */
public record ScanDeletion(UUID scanId, UUID tenantId, Instant deletedAt, String deletedBy, String ctSha256,
                           String ctUploadedSha256, String transformSha256, String labelsSha256,
                           String labelsUploadedSha256, List<UUID> jobIds, String objectsJson) {
    public ScanDeletion {
        jobIds = List.copyOf(jobIds);
    }
}
