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
import org.triplane.db.jobs.JobKind;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.scans.Scan;
import org.triplane.gateway.service.parameters.FusionParameterSchema;
import org.triplane.gateway.service.parameters.JobParameterSchema;
import org.triplane.gateway.service.parameters.TrainingParameterSchema;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.plane.Plane;

/**
 * What a job request must satisfy beyond its own fields, checked before anything is written: its
 * parameters, against the schema of its kind ({@link JobParameterSchema}), before the submitting
 * transaction; then in it, a train job needs at least {@link #MIN_TRAINING_SCANS} labelled scans,
 * {@value TrainingParameterSchema#FOLDS} and {@value TrainingParameterSchema#VALIDATION_SCANS} that its
 * scans can fill and free model set names; a segment or evaluate job that names a model set needs
 * one with a model for every plane, and fusion weights recorded with it when it asks for the
 * learned vote. Each failure is a {@link RequestRejected} naming the field.
 */
final class JobPreconditions {

    /** Fewest scans a train job accepts: at least one to train on and one to validate on. */
    static final int MIN_TRAINING_SCANS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks what the parameters alone must satisfy.
     *
     * @param kind           the job's kind
     * @param parametersJson its parameters, a JSON object, or {@code null} for none
     * @return them, parsed
     * @throws RequestRejected 400 naming {@code parameters} when they are not a JSON object, or
     *                         {@code parameters.<key>} for a key or value the kind does not accept
     */
    static JsonNode parameters(JobKind kind, String parametersJson) {
        JsonNode p;
        try {
            p = JSON.readTree(parametersJson == null ? "{}" : parametersJson);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("parameters", "not a JSON object: " + e.getOriginalMessage());
        }
        if (p == null || !p.isObject()) {
            throw RequestRejected.badRequest("parameters", "must be a JSON object");
        }
        JobParameterSchema.check(kind, p);
        return p;
    }

    /**
     * @param field      the request's field modelSetId, or {@code null}
     * @param parameters the checked parameters, whose key modelSetId names a set too
     * @return the model set the request names, {@code null} for none
     * @throws RequestRejected 400 naming {@code modelSetId} when the field and the parameter disagree
     */
    static UUID modelSetId(UUID field, JsonNode parameters) {
        JsonNode p = parameters.path(FusionParameterSchema.MODEL_SET_ID);
        if (!p.isTextual()) {
            return field;
        }
        UUID fromParameters = UUID.fromString(p.textValue());
        if (field != null && !field.equals(fromParameters)) {
            throw RequestRejected.badRequest("modelSetId", "field modelSetId " + field + " and parameter modelSetId "
                    + fromParameters + " disagree");
        }
        return fromParameters;
    }

    /**
     * Checks what can be judged before the job exists.
     *
     * @param c          the submitting transaction
     * @param kind       the job's kind
     * @param scans      its scans, already found
     * @param parameters its checked parameters
     * @param modelSetId the model set it names, or {@code null}
     */
    void beforeSubmission(Connection c, JobKind kind, List<Scan> scans, JsonNode parameters, UUID modelSetId)
            throws SQLException {
        if (kind == JobKind.TRAIN) {
            requireTrainable(scans);
            if (modelSetId != null) {
                throw RequestRejected.badRequest("modelSetId", "a train job creates its own model set; name it with the "
                        + "parameter " + TrainingParameterSchema.MODEL_SET_NAME + " instead of giving modelSetId " + modelSetId);
            }
            folds(parameters, scans.size());
            requireTrainingScansLeft(parameters, scans.size());
        } else if (modelSetId != null) {
            requireCompleteModelSet(c, modelSetId);
            requireFusionWeightsForLearned(c, parameters, modelSetId);
        }
    }

    /**
     * A job asking for the learned vote needs its model set's fusion weights.
     *
     * @throws RequestRejected 400 naming {@code parameters.fusion} when the set has no fusion weights
     */
    private void requireFusionWeightsForLearned(Connection c, JsonNode parameters, UUID modelSetId) throws SQLException {
        JsonNode fusion = parameters.path(FusionMethod.PARAMETER);
        if (fusion.isTextual() && FusionMethod.parse(fusion.textValue()) == FusionMethod.LEARNED
                && ModelSetFusionWeights.find(c, modelSetId).isEmpty()) {
            String name = ModelSets.find(c, modelSetId).map(ModelSet::name).orElseThrow();
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
     * @param c          the submitting transaction
     * @param kind       the job's kind
     * @param parameters its checked parameters
     */
    void forNewJob(Connection c, JobKind kind, JsonNode parameters) throws SQLException {
        if (kind != JobKind.TRAIN) {
            return;
        }
        JsonNode requested = parameters.path(TrainingParameterSchema.MODEL_SET_NAME);
        if (requested.isTextual()) {
            // why every fold's name: the preprocess-worker creates the sets under these names later and
            // would have to fail the whole job for a taken one
            String name = requested.textValue().strip();
            Optional<Integer> folds = folds(parameters, Integer.MAX_VALUE);
            List<String> names = folds.map(k -> ModelSet.foldSetNames(name, k)).orElse(List.of(name));
            for (String n : names) {
                Optional<ModelSet> taken = ModelSets.findByName(c, n);
                if (taken.isPresent()) {
                    throw new RequestRejected(409, "parameters." + TrainingParameterSchema.MODEL_SET_NAME, "model set name '"
                            + n + "' is already taken by model set " + taken.get().id() + "; choose another");
                }
            }
        }
    }

    /**
     * @param parameters a train job's checked parameters
     * @param scanCount  its number of scans
     * @return k of the {@value TrainingParameterSchema#FOLDS} parameter, empty when absent
     * @throws RequestRejected 400 naming {@code parameters.folds} when k exceeds scanCount
     */
    static Optional<Integer> folds(JsonNode parameters, int scanCount) {
        JsonNode folds = parameters.path(TrainingParameterSchema.FOLDS);
        if (!folds.isNumber()) {
            return Optional.empty();
        }
        int k = folds.intValue();
        if (k > scanCount) {
            String key = TrainingParameterSchema.FOLDS;
            throw RequestRejected.badRequest("parameters." + key, key + " must not exceed the job's " + scanCount
                    + " scans (every fold validates on at least one scan), got " + k);
        }
        return Optional.of(k);
    }

    /** Without folds, the scans held out for validation must leave at least one to train on. */
    private static void requireTrainingScansLeft(JsonNode parameters, int scanCount) {
        JsonNode held = parameters.path(TrainingParameterSchema.VALIDATION_SCANS);
        if (held.isNumber() && held.longValue() >= scanCount) {
            String key = TrainingParameterSchema.VALIDATION_SCANS;
            throw RequestRejected.badRequest("parameters." + key, key + " must leave at least one of the job's "
                    + scanCount + " scans to train on: at most " + (scanCount - 1) + ", got " + held.longValue());
        }
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
        ModelSet set = ModelSets.find(c, modelSetId)
                .orElseThrow(() -> RequestRejected.notFound("modelSetId", "model set " + modelSetId + " not found"));
        Set<Plane> present = Models.ofSet(c, modelSetId).stream().map(Model::plane).collect(Collectors.toSet());
        List<Plane> missing = EnumSet.allOf(Plane.class).stream().filter(p -> !present.contains(p)).toList();
        if (!missing.isEmpty()) {
            String others = missing.size() == 1 ? "" : " (nor for " + missing.subList(1, missing.size()).stream()
                    .map(Plane::name).collect(Collectors.joining(", ")) + ")";
            throw new RequestRejected(409, "modelSetId", "model set " + modelSetId + " ('" + set.name()
                    + "') has no model for plane " + missing.get(0) + others + "; it cannot run until its training finished");
        }
    }
}
