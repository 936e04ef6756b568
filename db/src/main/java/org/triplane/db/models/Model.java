package org.triplane.db.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * A row of {@code models}: one trained per-plane network of a model set, with what it takes to
 * explain or retrain it.
 *
 * @param id                      model id
 * @param modelSetId              the set it belongs to
 * @param plane                   the plane it segments
 * @param architecture            architecture name, e.g. {@code unet}
 * @param hyperParametersJson     JSON object: network, loss, optimiser, model grid, epochs...
 * @param seed                    random seed of the training run
 * @param trainingScanIds         scans trained on (validation scans are listed in the hyper-parameters)
 * @param trainingScanSha256      CT SHA-256 of each, same order
 * @param voxelSpacingMm          spacing of the model grid, mm [x, y, z]
 * @param sliceSize               slice size of this plane on the model grid, [width, height] pixels
 * @param codeVersion             version of the code that trained it
 * @param trainingDurationSeconds wall-clock training time, or {@code null}
 * @param validationMetricsJson   JSON object of validation metrics (best epoch, mean IoU, per class)
 * @param weightsKey              object key of the weights file
 * @param weightsSha256           SHA-256 of the weights file
 * @param createdAt               when it was registered
 */
public record Model(UUID id, UUID modelSetId, Plane plane, String architecture, String hyperParametersJson, long seed,
                    List<UUID> trainingScanIds, List<String> trainingScanSha256, List<Double> voxelSpacingMm,
                    List<Integer> sliceSize, String codeVersion, Double trainingDurationSeconds,
                    String validationMetricsJson, String weightsKey, String weightsSha256, Instant createdAt) {
}
