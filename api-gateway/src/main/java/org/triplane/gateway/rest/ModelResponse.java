package org.triplane.gateway.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;

/**
 * One trained per-plane network of the registry.
 *
 * @param id                      model id
 * @param modelSetId              the set it belongs to
 * @param plane                   AXIAL, CORONAL or SAGITTAL
 * @param architecture            e.g. {@code unet}
 * @param hyperParameters         JSON object: network, loss, optimiser, model grid, epochs...
 * @param seed                    random seed of the training run
 * @param trainingScanIds         scans trained on
 * @param trainingScanSha256      CT SHA-256 of each, same order
 * @param voxelSpacingMm          spacing of the model grid, mm [x, y, z]
 * @param sliceSize               slice size on the model grid, [width, height] pixels
 * @param codeVersion             version of the code that trained it
 * @param trainingDurationSeconds wall-clock training time, seconds, or {@code null}
 * @param validationMetrics       JSON object of validation metrics (best epoch, mean IoU, per class)
 * @param weightsKey              object key of the weights file
 * @param weightsSha256           SHA-256 of the weights file
 * @param createdAt               when it was registered (UTC)
 * @param trainingJobId           the TRAIN job that produced its set, or {@code null} (sets from before this was recorded)
 * @param fold                    the cross-validation fold 1..{@code foldCount} its set was trained for, or {@code null}
 * @param foldCount               k of the k-fold job that produced its set, or {@code null}
 */
public record ModelResponse(UUID id, UUID modelSetId, String plane, String architecture,
                            @JsonRawValue String hyperParameters, long seed, List<UUID> trainingScanIds,
                            List<String> trainingScanSha256, List<Double> voxelSpacingMm, List<Integer> sliceSize,
                            String codeVersion, Double trainingDurationSeconds, @JsonRawValue String validationMetrics,
                            String weightsKey, String weightsSha256, Instant createdAt, UUID trainingJobId,
                            Integer fold, Integer foldCount) {

    /** @param set the model's set, or {@code null} when unknown */
    static ModelResponse of(Model m, ModelSet set) {
        return new ModelResponse(m.id(), m.modelSetId(), m.plane().name(), m.architecture(), m.hyperParametersJson(),
                m.seed(), m.trainingScanIds(), m.trainingScanSha256(), m.voxelSpacingMm(), m.sliceSize(), m.codeVersion(),
                m.trainingDurationSeconds(), m.validationMetricsJson(), m.weightsKey(), m.weightsSha256(), m.createdAt(),
                set == null ? null : set.trainingJobId(), set == null ? null : set.fold(),
                set == null ? null : set.foldCount());
    }
}
