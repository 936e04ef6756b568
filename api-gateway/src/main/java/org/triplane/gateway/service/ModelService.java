package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.models.DefaultModelSets;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSetEvent;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.imaging.plane.Plane;

/**
 * Reads of the model registry. Model sets and models are one catalogue shared by every tenant
 * (written by the gpu-workers, readable but not writable by the app role), so these reads set no
 * tenant; the caller still has to present a valid API key.
 */
@ApplicationScoped
public class ModelService {

    /** Most models one list call returns. */
    public static final int MAX_LIST = 1000;

    private final Databases db;

    @Inject
    public ModelService(Databases db) {
        this.db = db;
    }

    /**
     * A model set with its models.
     *
     * @param set           the set
     * @param models        its models, ordered by plane; fewer than three while its training runs
     * @param events        every change of its default status, oldest first
     * @param fusionWeights its learned fusion weights, or {@code null} when none are recorded
     */
    public record ModelSetDetails(ModelSet set, List<Model> models, List<ModelSetEvent> events, FusionWeights fusionWeights) {
    }

    /**
     * A model with the set it belongs to (which records the training job and fold).
     *
     * @param model the model
     * @param set   its set
     */
    public record RegisteredModel(Model model, ModelSet set) {
    }

    /**
     * @param limit most models returned, 1..{@link #MAX_LIST}
     * @return the registry, newest first, each model with its set
     */
    public List<RegisteredModel> recent(int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw RequestRejected.badRequest("limit", "must be within 1.." + MAX_LIST + ", got " + limit);
        }
        return db.app().run(c -> {
            List<Model> models = Models.recent(c, limit);
            Map<UUID, ModelSet> sets = new HashMap<>();
            for (Model m : models) {
                if (!sets.containsKey(m.modelSetId())) {
                    sets.put(m.modelSetId(), ModelSets.find(c, m.modelSetId()).orElse(null));
                }
            }
            return models.stream().map(m -> new RegisteredModel(m, sets.get(m.modelSetId()))).toList();
        });
    }

    /**
     * @param modelSetId the set
     * @return the set and its models, empty when no such set exists
     */
    public Optional<ModelSetDetails> set(UUID modelSetId) {
        return db.app().run(c -> {
            Optional<ModelSet> set = ModelSets.find(c, modelSetId);
            if (set.isEmpty()) {
                return Optional.<ModelSetDetails>empty();
            }
            return Optional.of(new ModelSetDetails(set.get(), Models.ofSet(c, modelSetId),
                    DefaultModelSets.events(c, modelSetId), ModelSetFusionWeights.find(c, modelSetId).orElse(null)));
        });
    }

    /** @return the default model set with its models and its log, empty when none is registered */
    public Optional<ModelSetDetails> defaultSet() {
        Optional<ModelSet> set = db.app().run(c -> DefaultModelSets.findDefault(c));
        return set.flatMap(s -> set(s.id()));
    }

    /**
     * @param modelSetId the set
     * @param plane      the plane
     * @return its model for that plane (whose {@code weightsKey} names the weights), empty when absent
     */
    public Optional<Model> model(UUID modelSetId, Plane plane) {
        List<Model> models = db.app().run(c -> Models.ofSet(c, modelSetId));
        return models.stream().filter(m -> m.plane() == plane).findFirst();
    }
}
