package org.triplane.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Plane;
import org.triplane.gateway.service.ModelService;

/**
 * A model set with its models.
 *
 * @param id          model set id
 * @param name        unique name
 * @param fusionRule  how the per-plane predictions are combined, e.g. MAJORITY_2_OF_3
 * @param codeVersion version of the code that assembled the set
 * @param createdAt   instant of creation (UTC)
 * @param complete    whether it has a model for each of the three planes (only then can a job run it)
 * @param models      its models, ordered by plane
 * @param trainingJobId the TRAIN job that produced it, or {@code null} (sets from before this was recorded)
 * @param fold          the cross-validation fold 1..{@code foldCount} it was trained for (validated on that fold's
 *                      scans), or {@code null}
 * @param foldCount     k of the k-fold TRAIN job that produced it, or {@code null}
 */
public record ModelSetResponse(UUID id, String name, String fusionRule, String codeVersion, Instant createdAt,
                               boolean complete, List<ModelResponse> models, UUID trainingJobId, Integer fold,
                               Integer foldCount) {

    static ModelSetResponse of(ModelService.ModelSetDetails d) {
        boolean complete = d.models().stream().map(m -> m.plane()).distinct().count() == Plane.values().length;
        return new ModelSetResponse(d.set().id(), d.set().name(), d.set().fusionRule(), d.set().codeVersion(),
                d.set().createdAt(), complete, d.models().stream().map(m -> ModelResponse.of(m, d.set())).toList(),
                d.set().trainingJobId(), d.set().fold(), d.set().foldCount());
    }
}
