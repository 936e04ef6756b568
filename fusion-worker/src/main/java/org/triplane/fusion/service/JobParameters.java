package org.triplane.fusion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.triplane.db.jobs.Job;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.worker.run.PoisonInputException;

/** The job parameters the fusion-worker reads (the job's {@code parameters} JSON object). */
final class JobParameters {
    /** Name of the parameter that selects the fusion rule. */
    static final String FUSION = FusionMethod.PARAMETER;
    /** Name of the parameter that adds the atlas method as a fourth voter. */
    static final String ATLAS_VOTER = FusionMethod.ATLAS_VOTER_PARAMETER;

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobParameters() {
    }

    /**
     * The job's {@code "fusion"} parameter, {@link FusionMethod#MAJORITY} (the study's vote) when absent.
     *
     * @throws PoisonInputException naming the parameter and its value when it is not a known rule
     */
    static FusionMethod fusionMethod(Job job) {
        String json = job.parametersJson();
        if (json == null || json.isBlank()) {
            return FusionMethod.MAJORITY;
        }
        JsonNode value;
        try {
            value = JSON.readTree(json).path(FUSION);
        } catch (Exception e) {
            throw new PoisonInputException("job " + job.id() + " has parameters that are not JSON: " + e.getMessage(), e);
        }
        if (value.isMissingNode() || value.isNull()) {
            return FusionMethod.MAJORITY;
        }
        if (!value.isTextual()) {
            throw new PoisonInputException("job " + job.id() + " parameter \"" + FUSION + "\" is " + value
                    + "; expected one of: " + FusionMethod.names());
        }
        try {
            return FusionMethod.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw new PoisonInputException("job " + job.id() + " parameter \"" + FUSION + "\": " + e.getMessage(), e);
        }
    }

    /**
     * The job's {@code "fusionAtlasVoter"} parameter: whether the atlas method votes beside the three
     * planes; {@code false} when absent. {@code true} / {@code false} as JSON booleans or strings.
     *
     * @throws PoisonInputException naming the parameter and its value when it is neither
     */
    static boolean atlasVoter(Job job) {
        String json = job.parametersJson();
        if (json == null || json.isBlank()) {
            return false;
        }
        JsonNode value;
        try {
            value = JSON.readTree(json).path(ATLAS_VOTER);
        } catch (Exception e) {
            throw new PoisonInputException("job " + job.id() + " has parameters that are not JSON: " + e.getMessage(), e);
        }
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && (value.asText().strip().equalsIgnoreCase("true") || value.asText().strip().equalsIgnoreCase("false"))) {
            return value.asText().strip().equalsIgnoreCase("true");
        }
        throw new PoisonInputException("job " + job.id() + " parameter \"" + ATLAS_VOTER + "\" is " + value
                + "; expected true or false");
    }
}
