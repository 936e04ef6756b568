package org.triplane.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.db.results.FusedResult;
import org.triplane.gateway.service.ResultDocumentReader;
import org.triplane.gateway.service.ResultObjects;
import org.triplane.gateway.service.ResultService;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatisticsDocument;

/**
 * A job's results, one entry per scan that has one.
 *
 * @param jobId        the job
 * @param state        its state
 * @param finalResults true once the job is SUCCEEDED, FAILED or CANCELLED: its results never change
 *                     again (a re-run is a new job)
 * @param modelSetId   the job's model set, or {@code null}
 * @param scans        per scan, ordered by scan id
 */
public record ResultsResponse(UUID jobId, String state, boolean finalResults, UUID modelSetId, List<ScanResultView> scans) {

    /**
     * @param scanId           the scan
     * @param modelSetId       the model set whose predictions were fused
     * @param fusionMethod     majority or confidence
     * @param objects          object name → object-store key (names as in the download path)
     * @param downloads        object name → download path on this gateway
     * @param regionStatistics per region on the acquired grid: voxels, volume ml, mean / median HU;
     *                         left/right pairs with HU difference, ratio and whether a limit is exceeded
     *                         (as the fusion-worker recorded them)
     * @param evaluation       against the reference labels per prediction (fused, axial, coronal,
     *                         sagittal, atlas): mean IoU, Dice, misclassification, FP/FN ratio mean and
     *                         variance, left/right confusion, as recorded; the 21×21 confusion matrices
     *                         only with {@code ?confusion=true} ({@code null} otherwise); {@code null}
     *                         without reference labels
     */
    public record ScanResultView(UUID scanId, UUID modelSetId, String fusionMethod, Map<String, String> objects,
                                 Map<String, String> downloads, RegionStatisticsDocument regionStatistics,
                                 EvaluationDocument evaluation) {
    }

    static ResultsResponse of(ResultService.JobResults r, boolean withConfusion, ObjectMapper json) {
        return new ResultsResponse(r.job().id(), r.job().state().name(), r.job().state().isTerminal(),
                r.job().modelSetId(), r.results().stream().map(x -> view(x, withConfusion, json)).toList());
    }

    static ScanResultView view(FusedResult r, boolean withConfusion, ObjectMapper json) {
        Map<String, String> objects = ResultObjects.of(r, json);
        Map<String, String> downloads = new LinkedHashMap<>();
        objects.keySet().forEach(name -> downloads.put(name,
                "/api/v1/jobs/" + r.jobId() + "/results/" + r.scanId() + "/objects/" + name));
        EvaluationDocument evaluation = ResultDocumentReader.evaluation(r, json)
                .map(e -> withConfusion ? e : e.withoutConfusion()).orElse(null);
        return new ScanResultView(r.scanId(), r.modelSetId(), r.fusionMethod(), objects, downloads,
                ResultDocumentReader.regionStatistics(r, json), evaluation);
    }

    static JsonNode tree(String text, ObjectMapper json) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored result document is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
