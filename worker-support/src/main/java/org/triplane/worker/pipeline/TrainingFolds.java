package org.triplane.worker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * A TRAIN job's {@value #PARAMETER} parameter: k-fold cross-validation by scan, k model sets (one
 * per fold) instead of one. The gateway refuses a bad value at submission; this reads it again
 * where training starts, for jobs recorded by other means.
 */
final class TrainingFolds {

    /** Job parameter: number of folds k, an integer 2..number of scans. */
    static final String PARAMETER = "folds";
    /** Job parameter that {@value #PARAMETER} excludes: with folds every fold's scans validate that fold. */
    static final String VALIDATION_SCANS_PARAMETER = "validationScans";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingFolds() {
    }

    /**
     * @param parametersJson the job's parameters (a JSON object)
     * @param scanCount      the number of scans in the job
     * @return k, or empty when the job trains one model set
     * @throws IllegalArgumentException naming the parameter when the value cannot be used
     */
    static Optional<Integer> of(String parametersJson, int scanCount) {
        JsonNode p;
        try {
            p = JSON.readTree(parametersJson == null || parametersJson.isBlank() ? "{}" : parametersJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameters are not a JSON object: " + e.getOriginalMessage(), e);
        }
        JsonNode folds = p.path(PARAMETER);
        if (folds.isMissingNode() || folds.isNull()) {
            return Optional.empty();
        }
        if (!folds.canConvertToExactIntegral() || !folds.canConvertToInt()) {
            throw new IllegalArgumentException("parameter " + PARAMETER + " must be an integer number of folds, got " + folds);
        }
        int k = folds.intValue();
        if (k < 2 || k > scanCount) {
            throw new IllegalArgumentException("parameter " + PARAMETER + " must be 2.." + scanCount + " (the job's "
                    + scanCount + " scans, at least one validation scan per fold), got " + k);
        }
        if (p.has(VALIDATION_SCANS_PARAMETER)) {
            throw new IllegalArgumentException("parameter " + PARAMETER + " cannot be combined with "
                    + VALIDATION_SCANS_PARAMETER + ": each fold validates on its own scans");
        }
        return Optional.of(k);
    }
}
