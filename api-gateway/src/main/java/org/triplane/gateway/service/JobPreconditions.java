package org.triplane.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.triplane.db.JobKind;
import org.triplane.db.JobStore;
import org.triplane.db.Model;
import org.triplane.db.ModelSet;
import org.triplane.db.Plane;
import org.triplane.db.Scan;
import org.triplane.imaging.fusion.FusionMethod;

/**
 * What a job request must satisfy beyond its own fields, checked in the submitting transaction
 * before anything is written: a train job needs at least {@link #MIN_TRAINING_SCANS} labelled
 * scans, a usable {@value #FOLDS} parameter when it has one and free model set names; a segment or evaluate job that names a model set needs one with
 * a model for every plane, and fusion weights recorded with it when it asks for the learned vote.
 * Each failure is a {@link RequestRejected} naming the field.
 */
final class JobPreconditions {

    /** Fewest scans a train job accepts: at least one to train on and one to validate on. */
    static final int MIN_TRAINING_SCANS = 2;
    /** Parameter naming the set a train job produces. */
    static final String MODEL_SET_NAME = "modelSetName";
    /** Parameter asking a train job for k-fold cross-validation by scan: k model sets, one per fold. */
    static final String FOLDS = "folds";
    /** Parameter of a train job without folds: scans held out for validation. */
    static final String VALIDATION_SCANS = "validationScans";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;

    JobPreconditions(JobStore store) {
        this.store = store;
    }

    /**
     * Checks what can be judged before the job exists.
     *
     * @param c              the submitting transaction
     * @param kind           the job's kind
     * @param scans          its scans, already found
     * @param parametersJson its parameters, a JSON object
     * @param modelSetId     the model set it names, or {@code null}
     */
    void beforeSubmission(Connection c, JobKind kind, List<Scan> scans, String parametersJson, UUID modelSetId)
            throws SQLException {
        if (kind == JobKind.TRAIN) {
            requireTrainable(scans);
            if (modelSetId != null) {
                throw RequestRejected.badRequest("modelSetId", "a train job creates its own model set; name it with the "
                        + "parameter " + MODEL_SET_NAME + " instead of giving modelSetId " + modelSetId);
            }
            modelSetName(parametersJson);
            folds(parametersJson, scans.size());
        } else if (modelSetId != null) {
            requireCompleteModelSet(c, modelSetId);
            requireFusionWeightsForLearned(c, parametersJson, modelSetId);
        }
    }

    /**
     * A job asking for the learned vote needs its model set's fusion weights; other values of the
     * parameter are the fusion-worker's to judge.
     *
     * @throws RequestRejected 400 naming {@code parameters.fusion} when the set has no fusion weights
     */
    private void requireFusionWeightsForLearned(Connection c, String parametersJson, UUID modelSetId) throws SQLException {
        JsonNode fusion;
        try {
            fusion = JSON.readTree(parametersJson).path(FusionMethod.PARAMETER);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("parameters", "not a JSON object: " + e.getOriginalMessage());
        }
        if (fusion.isTextual() && learned(fusion.asText()) && store.findFusionWeights(c, modelSetId).isEmpty()) {
            String name = store.findModelSet(c, modelSetId).map(ModelSet::name).orElseThrow();
            throw RequestRejected.badRequest("parameters." + FusionMethod.PARAMETER, FusionMethod.PARAMETER + "="
                    + FusionMethod.LEARNED.wireName() + " needs the fusion weights of model set " + modelSetId + " ('" + name
                    + "'), which has none: fit them with `triplane model-set fit-fusion " + modelSetId
                    + " --from-job EVALUATE_JOB_ID` (a finished evaluate job of the set on labelled scans), or choose "
                    + FusionMethod.PARAMETER + "=" + FusionMethod.MAJORITY.wireName() + " or "
                    + FusionMethod.CONFIDENCE.wireName());
        }
    }

    /**
     * Checks what only a new job must satisfy; a repeated submission of an accepted train job must
     * not be refused because its own training has taken the name meanwhile.
     *
     * @param c              the submitting transaction
     * @param kind           the job's kind
     * @param parametersJson its parameters
     */
    void forNewJob(Connection c, JobKind kind, String parametersJson) throws SQLException {
        if (kind != JobKind.TRAIN) {
            return;
        }
        Optional<String> name = modelSetName(parametersJson);
        if (name.isPresent()) {
            // why every fold's name: the preprocess-worker creates the sets under these names later and
            // would have to fail the whole job for a taken one
            Optional<Integer> folds = folds(parametersJson, Integer.MAX_VALUE);
            List<String> names = folds.map(k -> ModelSet.foldSetNames(name.get(), k)).orElse(List.of(name.get()));
            for (String n : names) {
                Optional<ModelSet> taken = store.findModelSetByName(c, n);
                if (taken.isPresent()) {
                    throw new RequestRejected(409, "parameters." + MODEL_SET_NAME, "model set name '" + n
                            + "' is already taken by model set " + taken.get().id() + "; choose another");
                }
            }
        }
    }

    /**
     * @param parametersJson a train job's parameters
     * @param scanCount      its number of scans
     * @return k of the {@value #FOLDS} parameter, empty when absent
     * @throws RequestRejected 400 naming {@code parameters.folds} when it is not an integer within 2..scanCount or
     *                         comes with {@value #VALIDATION_SCANS}
     */
    static Optional<Integer> folds(String parametersJson, int scanCount) {
        JsonNode p;
        try {
            p = JSON.readTree(parametersJson);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("parameters", "not a JSON object: " + e.getOriginalMessage());
        }
        JsonNode folds = p.path(FOLDS);
        if (folds.isMissingNode() || folds.isNull()) {
            return Optional.empty();
        }
        String part = "parameters." + FOLDS;
        if (!folds.canConvertToExactIntegral() || !folds.canConvertToInt()) {
            throw RequestRejected.badRequest(part, FOLDS + " must be an integer number of folds (k of k-fold "
                    + "cross-validation), got " + folds);
        }
        int k = folds.intValue();
        if (k < 2) {
            throw RequestRejected.badRequest(part, FOLDS + " must be at least 2, got " + k);
        }
        if (k > scanCount) {
            throw RequestRejected.badRequest(part, FOLDS + " must not exceed the job's " + scanCount
                    + " scans (every fold validates on at least one scan), got " + k);
        }
        if (p.has(VALIDATION_SCANS)) {
            throw RequestRejected.badRequest(part, FOLDS + " cannot be combined with " + VALIDATION_SCANS
                    + ": with folds each fold validates on its own scans; leave out " + VALIDATION_SCANS);
        }
        return Optional.of(k);
    }

    private static void requireTrainable(List<Scan> scans) {
        if (scans.size() < MIN_TRAINING_SCANS) {
            throw RequestRejected.badRequest("scanIds", "a train job needs at least " + MIN_TRAINING_SCANS
                    + " labelled scans (to train on and to validate on), got " + scans.size());
        }
        List<String> unlabelled = scans.stream().filter(s -> s.labels() == null).map(s -> s.id().toString()).toList();
        if (!unlabelled.isEmpty()) {
            throw RequestRejected.badRequest("scanIds", "a train job needs a label volume for every scan; without labels: "
                    + String.join(", ", unlabelled) + " (upload them again with a labels part)");
        }
    }

    private void requireCompleteModelSet(Connection c, UUID modelSetId) throws SQLException {
        ModelSet set = store.findModelSet(c, modelSetId)
                .orElseThrow(() -> RequestRejected.notFound("modelSetId", "model set " + modelSetId + " not found"));
        Set<Plane> present = store.modelsOfSet(c, modelSetId).stream().map(Model::plane).collect(Collectors.toSet());
        List<Plane> missing = EnumSet.allOf(Plane.class).stream().filter(p -> !present.contains(p)).toList();
        if (!missing.isEmpty()) {
            String others = missing.size() == 1 ? "" : " (nor for " + missing.subList(1, missing.size()).stream()
                    .map(Plane::name).collect(Collectors.joining(", ")) + ")";
            throw new RequestRejected(409, "modelSetId", "model set " + modelSetId + " ('" + set.name()
                    + "') has no model for plane " + missing.get(0) + others + "; it cannot run until its training finished");
        }
    }

    private static boolean learned(String fusion) {
        try {
            return FusionMethod.parse(fusion) == FusionMethod.LEARNED;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the requested name, empty when the parameter is absent */
    private static Optional<String> modelSetName(String parametersJson) {
        JsonNode name;
        try {
            name = JSON.readTree(parametersJson).path(MODEL_SET_NAME);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("parameters", "not a JSON object: " + e.getOriginalMessage());
        }
        if (name.isMissingNode() || name.isNull()) {
            return Optional.empty();
        }
        if (!name.isTextual() || name.asText().isBlank()) {
            throw RequestRejected.badRequest("parameters." + MODEL_SET_NAME, "must be a non-blank string, got " + name);
        }
        return Optional.of(name.asText().strip());
    }
}
