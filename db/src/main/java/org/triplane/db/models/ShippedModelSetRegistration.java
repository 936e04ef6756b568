package org.triplane.db.models;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * A model set that ships with the project, as {@link DefaultModelSets#registerShipped} registers it: the
 * set's row and its three models, already uploaded to their weights keys.
 *
 * @param id          the set's id, derived from {@code sha256} so that the same content has the same id
 *                    on every stack ({@link #idFor})
 * @param name        unique name
 * @param fusionRule  how the planes are combined, e.g. {@code MAJORITY_2_OF_3}
 * @param codeVersion the code version (git commit) that trained it
 * @param sha256      SHA-256 of its {@code model-set.json}
 * @param models      one per plane, each with {@code modelSetId} = {@code id}
 * @param actor       the service instance registering it (audit)
 * @param fusionWeights the learned fusion weights it ships with ({@code modelSetId} = {@code id}, no tenant), or
 *                      {@code null}
 */
public record ShippedModelSetRegistration(UUID id, String name, String fusionRule, String codeVersion, String sha256,
                                          List<Model> models, String actor, FusionWeights fusionWeights) {

    public ShippedModelSetRegistration {
        Objects.requireNonNull(id, "id");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required");
        }
        if (fusionRule == null || fusionRule.isBlank()) {
            throw new IllegalArgumentException("fusionRule: required");
        }
        if (codeVersion == null || codeVersion.isBlank()) {
            throw new IllegalArgumentException("codeVersion: required");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: 64 lower-case hex digits required, got " + sha256);
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("actor: required");
        }
        models = List.copyOf(models);
        if (models.stream().map(Model::plane).distinct().count() != Plane.values().length
                || models.size() != Plane.values().length) {
            throw new IllegalArgumentException("models: one per plane required, got "
                    + models.stream().map(m -> m.plane().name()).toList());
        }
        for (Model m : models) {
            if (!id.equals(m.modelSetId())) {
                throw new IllegalArgumentException("models: the " + m.plane() + " model belongs to set " + m.modelSetId()
                        + ", not " + id);
            }
        }
        if (fusionWeights != null && (!id.equals(fusionWeights.modelSetId()) || fusionWeights.tenantId() != null)) {
            throw new IllegalArgumentException("fusionWeights: must belong to set " + id + " and no tenant, got set "
                    + fusionWeights.modelSetId() + ", tenant " + fusionWeights.tenantId());
        }
    }

    /** The id a shipped set with this {@code model-set.json} checksum has on every stack. */
    public static UUID idFor(String sha256) {
        return UUID.nameUUIDFromBytes(("triplane shipped model set " + sha256).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
