package org.triplane.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.client.modelset.FusionWeightsDocument;
import org.triplane.db.models.FusionWeights;
import org.triplane.gateway.service.FusionWeightsService;

/**
 * A model set's learned fusion weights: the {@link FusionWeightsDocument} form with who recorded them
 * and when.
 *
 * @param weights             member (axial, coronal, sagittal, atlas) → its weight per label 0..20
 * @param evaluateJobId       the evaluate job whose stored predictions and reference labels they were fitted on
 * @param scanIds             its scans they were fitted on
 * @param meanIoU             the fitted vote's mean IoU over the regions on those scans
 * @param equalWeightsMeanIoU the same with every weight 1
 * @param memberMeanIoU       member → its own mean IoU there
 * @param recordedAt          when they were recorded (UTC)
 * @param recordedBy          who recorded them: {@code api-key:<prefix>}, or the gateway instance that registered a
 *                            shipped set
 */
public record FusionWeightsResponse(Map<String, List<Double>> weights, UUID evaluateJobId, List<UUID> scanIds, double meanIoU,
                                    double equalWeightsMeanIoU, Map<String, Double> memberMeanIoU, Instant recordedAt,
                                    String recordedBy) {

    static FusionWeightsResponse of(FusionWeights w) {
        FusionWeightsDocument d = FusionWeightsService.document(w);
        return new FusionWeightsResponse(d.weights(), d.evaluateJobId(), d.scanIds(), d.meanIoU(), d.equalWeightsMeanIoU(),
                d.memberMeanIoU(), w.recordedAt(), w.recordedBy());
    }
}
