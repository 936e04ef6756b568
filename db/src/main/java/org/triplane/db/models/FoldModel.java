package org.triplane.db.models;

import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * One plane's model of one fold of a k-fold TRAIN job, with the number cross-validation compares.
 *
 * @param fold                  the fold, 1..k
 * @param modelSetId            the fold's model set
 * @param plane                 the plane the model segments
 * @param modelId               the model
 * @param bestValidationMeanIoU mean IoU over the regions 1..20 present, on the fold's validation scans,
 *                              at the model's best epoch (unitless, [0, 1]); {@code null} when none was measured
 */
public record FoldModel(int fold, UUID modelSetId, Plane plane, UUID modelId, Double bestValidationMeanIoU) {
}
