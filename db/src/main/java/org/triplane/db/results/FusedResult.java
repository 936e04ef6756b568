package org.triplane.db.results;

import java.util.UUID;

/**
 * A row of {@code results} as the fusion-worker writes it: the fused segmentation of one scan of
 * one job on both grids, the rule that voted, and what was measured on it. Written once; a finished
 * job's result never changes.
 *
 * @param tenantId               owning tenant
 * @param jobId                  the job
 * @param scanId                 the scan
 * @param modelSetId             model set whose plane predictions were fused, or {@code null}
 * @param segmentationKey        object key of the fused labels on the scan's acquired grid (uint8 0..20)
 * @param rotatedSegmentationKey object key of the fused labels on the rotated (preprocessed) grid
 * @param planeKeysJson          object keys of the per-plane predictions, JSON object
 * @param fusionMethod           wire name of the fusion rule, {@code majority} or {@code confidence}, with
 *                               {@code +atlas} when the atlas method voted as a fourth member, or {@code learned}
 *                               (the model set's fitted weights over the planes and the atlas method)
 * @param regionStatisticsJson   per-region volume (ml) and HU on the acquired grid and the left/right
 *                               comparisons, JSON object
 * @param evaluationJson         metrics against the reference labels per prediction, JSON object, or
 *                               {@code null} when the scan has no reference labels
 * @param reportKey              object key of a human-readable report, or {@code null}
 */
public record FusedResult(UUID tenantId, UUID jobId, UUID scanId, UUID modelSetId, String segmentationKey,
        String rotatedSegmentationKey, String planeKeysJson, String fusionMethod, String regionStatisticsJson,
        String evaluationJson, String reportKey) {

    /** Validates the required fields, naming the one that is missing or wrong. */
    public FusedResult {
        if (tenantId == null || jobId == null || scanId == null) {
            throw new IllegalArgumentException("tenantId, jobId, scanId: required");
        }
        if (segmentationKey == null || segmentationKey.isBlank()) {
            throw new IllegalArgumentException("segmentationKey: required");
        }
        if (rotatedSegmentationKey == null || rotatedSegmentationKey.isBlank()) {
            throw new IllegalArgumentException("rotatedSegmentationKey: required");
        }
        if (!java.util.List.of("majority", "confidence", "majority+atlas", "confidence+atlas", "learned")
                .contains(fusionMethod)) {
            throw new IllegalArgumentException("fusionMethod: majority or confidence (optionally +atlas), or learned, got "
                    + fusionMethod);
        }
        if (regionStatisticsJson == null || regionStatisticsJson.isBlank()) {
            throw new IllegalArgumentException("regionStatisticsJson: required");
        }
        if (planeKeysJson == null) {
            planeKeysJson = "{}";
        }
    }
}
