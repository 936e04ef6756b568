package org.triplane.gateway.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.gateway.service.ModelService;
import org.triplane.imaging.plane.Plane;

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
 * @param isDefault     whether it is the default model set: the one a segment or evaluate job that names none runs
 *                      (JSON {@code default})
 * @param shippedSha256 SHA-256 of the model-set.json it was registered from when it shipped with the project, or
 *                      {@code null} for a trained set
 * @param events        every change of its default status, oldest first (who registered it as the shipped default,
 *                      when, with which checksum and code version)
 * @param fusionWeights its learned fusion weights (job parameter {@code fusion=learned}) with what they were fitted on
 *                      and who recorded them when, or {@code null} when none are recorded
 */
public record ModelSetResponse(UUID id, String name, String fusionRule, String codeVersion, Instant createdAt,
                               boolean complete, List<ModelResponse> models, UUID trainingJobId, Integer fold,
                               Integer foldCount, @JsonProperty("default") boolean isDefault, String shippedSha256,
                               List<Event> events, FusionWeightsResponse fusionWeights) {

    /**
     * @param event       SHIPPED_DEFAULT_REGISTERED, DEFAULT_RESTORED or DEFAULT_REPLACED
     * @param at          when (UTC)
     * @param actor       the gateway instance that made the change
     * @param sha256      the shipped model-set.json's SHA-256
     * @param codeVersion the code version the shipped set records
     * @param reason      for a reader
     */
    public record Event(String event, Instant at, String actor, String sha256, String codeVersion, String reason) {
    }

    static ModelSetResponse of(ModelService.ModelSetDetails d) {
        boolean complete = d.models().stream().map(m -> m.plane()).distinct().count() == Plane.values().length;
        return new ModelSetResponse(d.set().id(), d.set().name(), d.set().fusionRule(), d.set().codeVersion(),
                d.set().createdAt(), complete, d.models().stream().map(m -> ModelResponse.of(m, d.set())).toList(),
                d.set().trainingJobId(), d.set().fold(), d.set().foldCount(), d.set().isDefault(), d.set().shippedSha256(),
                d.events().stream().map(e -> new Event(e.event(), e.at(), e.actor(), e.sha256(), e.codeVersion(), e.reason()))
                        .toList(), d.fusionWeights() == null ? null : FusionWeightsResponse.of(d.fusionWeights()));
    }
}
