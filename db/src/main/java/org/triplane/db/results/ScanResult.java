package org.triplane.db.results;

import java.util.UUID;

/**
 * A row of {@code results}: where the outputs for one scan of one job were written.
 *
 * @param tenantId        owning tenant
 * @param jobId           the job
 * @param scanId          the scan
 * @param modelSetId      model set that produced it, or {@code null}
 * @param segmentationKey object key of the fused segmentation on the scan's own grid
 * @param reportKey       object key of the report, or {@code null}
 * @param planeKeysJson   object keys of the per-plane predictions, JSON object plane → key
 */
public record ScanResult(UUID tenantId, UUID jobId, UUID scanId, UUID modelSetId, String segmentationKey,
        String reportKey, String planeKeysJson) {

    /** Validates the required fields, naming the one that is missing. */
    public ScanResult {
        if (tenantId == null || jobId == null || scanId == null) {
            throw new IllegalArgumentException("tenantId, jobId, scanId: required");
        }
        if (segmentationKey == null || segmentationKey.isBlank()) {
            throw new IllegalArgumentException("segmentationKey: required");
        }
        if (planeKeysJson == null) {
            planeKeysJson = "{}";
        }
    }
}
