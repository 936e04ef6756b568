package org.triplane.gateway.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.scans.ScanDeletion;

/**
 * What a deleted scan leaves: who deleted it, when, the checksums of its parts and every object
 * removed, and the jobs it was part of; nothing of the data itself.
 *
 * @param scanId               the deleted scan
 * @param deletedAt            when
 * @param deletedBy            who: {@code api-key:<public prefix>}
 * @param ctSha256             SHA-256 of the stored CT
 * @param ctUploadedSha256     SHA-256 of the CT as uploaded, or {@code null}
 * @param transformSha256      SHA-256 of the transform, or {@code null}
 * @param labelsSha256         SHA-256 of the stored labels, or {@code null}
 * @param labelsUploadedSha256 SHA-256 of the labels as uploaded, or {@code null}
 * @param jobIds               the finished jobs it was part of (their rows for it were removed too)
 * @param objects              each object removed from the store: {@code key}, {@code sha256}, {@code bytes}
 */
public record ScanDeletionResponse(UUID scanId, Instant deletedAt, String deletedBy, String ctSha256,
                                   String ctUploadedSha256, String transformSha256, String labelsSha256,
                                   String labelsUploadedSha256, List<UUID> jobIds, @JsonRawValue String objects) {

    static ScanDeletionResponse of(ScanDeletion d) {
        return new ScanDeletionResponse(d.scanId(), d.deletedAt(), d.deletedBy(), d.ctSha256(), d.ctUploadedSha256(),
                d.transformSha256(), d.labelsSha256(), d.labelsUploadedSha256(), d.jobIds(), d.objectsJson());
    }
}
