package org.triplane.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.triplane.db.results.FusedResult;
import org.triplane.events.ResultKeys;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatisticsDocument;

/**
 * The JSON documents of a result row, read into the types the fusion-worker writes them from
 * ({@link RegionStatisticsDocument}, {@link EvaluationDocument}, {@link ResultKeys}): the one reader
 * behind the report, the results and audit answers, the result's downloads and the check of learned
 * fusion weights. A document that is not
 * its type, or an evaluation whose confusion matrix is not 21×21 counts ≥ 0, is refused naming the
 * scan and what is wrong.
 */
public final class ResultDocumentReader {

    private ResultDocumentReader() {
    }

    /**
     * @param r    a result
     * @param json the mapper to read with
     * @return its region statistics
     * @throws IllegalStateException when the stored text is not that document
     */
    public static RegionStatisticsDocument regionStatistics(FusedResult r, ObjectMapper json) {
        return read(r.regionStatisticsJson(), json.constructType(RegionStatisticsDocument.class),
                "region statistics of scan " + r.scanId(), json);
    }

    /**
     * @param r    a result
     * @param json the mapper to read with
     * @return the keys of its objects beside the fused labels
     * @throws IllegalStateException when the stored text is not that document
     */
    public static ResultKeys objectKeys(FusedResult r, ObjectMapper json) {
        String what = "plane keys of scan " + r.scanId();
        Map<String, Object> document = read(r.planeKeysJson(),
                json.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class), what, json);
        try {
            return ResultKeys.fromMap(document);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param r    a result
     * @param json the mapper to read with
     * @return its evaluation; empty when the scan had no reference labels
     * @throws IllegalStateException when the stored text is not that document or holds a malformed confusion matrix
     */
    public static Optional<EvaluationDocument> evaluation(FusedResult r, ObjectMapper json) {
        if (r.evaluationJson() == null) {
            return Optional.empty();
        }
        String what = "evaluation of scan " + r.scanId();
        EvaluationDocument doc = read(r.evaluationJson(), json.constructType(EvaluationDocument.class), what, json);
        for (Map.Entry<String, EvaluationDocument.Prediction> p : doc.predictions().entrySet()) {
            try {
                p.getValue().confusionMatrix();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(what + ", prediction " + p.getKey() + ": " + e.getMessage(), e);
            }
        }
        return Optional.of(doc);
    }

    private static <T> T read(String text, JavaType type, String what, ObjectMapper json) {
        try {
            // why: a field a newer fusion-worker adds must not make this gateway refuse the whole document
            return json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " cannot be read as its JSON document: " + e.getOriginalMessage(), e);
        }
    }
}
