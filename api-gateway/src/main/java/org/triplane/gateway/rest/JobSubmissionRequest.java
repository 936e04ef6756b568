package org.triplane.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/jobs}.
 *
 * @param kind       {@code segment}, {@code evaluate} or {@code train}
 * @param scanIds    the scans, each the caller's own, without duplicates
 * @param parameters options recorded with the job, may be {@code null}: a JSON object of the keys the
 *                   job's kind takes ({@link FusionParameterDocs}, {@link TrainingParameterDocs})
 * @param modelSetId model set a segment or evaluate job runs, may be {@code null}; the parameter
 *                   {@code modelSetId} names it too (both must then agree)
 */
public record JobSubmissionRequest(
        @Schema(description = "segment, evaluate or train") String kind,
        @Schema(description = "The caller's scans, without duplicates; a train job needs at least 2, each with labels")
        List<UUID> scanIds,
        @Schema(description = "A JSON object recorded with the job, of the keys its kind takes (others, and wrong "
                + "values, are refused with 400 naming parameters.<key>). " + FusionParameterDocs.TEXT + " "
                + TrainingParameterDocs.TEXT) JsonNode parameters,
        @Schema(description = "Model set a segment or evaluate job runs (it must have a model for each of the three "
                + "planes); also accepted as parameter modelSetId. Not allowed for train jobs, which create their set.")
        UUID modelSetId) {
}
