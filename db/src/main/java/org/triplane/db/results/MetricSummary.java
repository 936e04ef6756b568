package org.triplane.db.results;

import java.util.UUID;

/**
 * The per-class metrics of one scan and one prediction of a job, averaged over the ASPECTS regions
 * 1..20 that have a value (a region absent from both reference and prediction has no IoU or Dice).
 * Unitless.
 *
 * @param scanId   the scan
 * @param plane    which prediction (a plane or FUSED)
 * @param meanIoU  mean IoU over the regions with one, or {@code null} when none has
 * @param meanDice mean Dice over the same regions, or {@code null}
 * @param regions  how many regions the means cover
 */
public record MetricSummary(UUID scanId, MetricPlane plane, Double meanIoU, Double meanDice, int regions) {
}
