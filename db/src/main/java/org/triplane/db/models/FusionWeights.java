package org.triplane.db.models;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.triplane.db.Rows;

/**
 * A row of {@code model_set_fusion_weights}: the learned fusion's weights of a model set, with what
 * they were fitted from. Recorded once, never changed.
 *
 * @param modelSetId          the set they were fitted for
 * @param weights             {@value #MEMBERS} × {@value #LABELS} weights, member-major ({@code [m · 21 + label]}),
 *                            members axial, coronal, sagittal, atlas, labels 0..20 (the imaging module's
 *                            {@code WeightedVote} layout)
 * @param evaluateJobId       the EVALUATE job whose predictions and reference labels they were fitted on
 * @param scanIds             its scans they were fitted on, at least one
 * @param meanIoU             the fitted vote's mean IoU over the regions on those scans
 * @param equalWeightsMeanIoU the same with every weight 1
 * @param memberMeanIoU       each member's own mean IoU there, member order
 * @param tenantId            the tenant that owns the evaluate job and recorded them, or {@code null} for weights
 *                            shipped in a model set folder (fitted on another stack)
 * @param recordedAt          when they were recorded (database clock); {@code null} before
 * @param recordedBy          who recorded them: {@code api-key:<prefix>} or a gateway instance
 */
public record FusionWeights(UUID modelSetId, List<Double> weights, UUID evaluateJobId, List<UUID> scanIds, double meanIoU,
                            double equalWeightsMeanIoU, List<Double> memberMeanIoU, UUID tenantId, Instant recordedAt,
                            String recordedBy) {

    /** Members of the vote: the three planes' networks and the atlas method. */
    public static final int MEMBERS = 4;
    /** Labels 0..20 each member votes for. */
    public static final int LABELS = 21;

    public FusionWeights {
        Objects.requireNonNull(modelSetId, "modelSetId");
        Objects.requireNonNull(evaluateJobId, "evaluateJobId");
        weights = Rows.fixedSize("weights", weights, MEMBERS * LABELS);
        memberMeanIoU = Rows.fixedSize("memberMeanIoU", memberMeanIoU, MEMBERS);
        if (scanIds == null || scanIds.isEmpty() || scanIds.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("scanIds: at least one scan required, got " + scanIds);
        }
        scanIds = List.copyOf(scanIds);
        if (recordedBy == null || recordedBy.isBlank()) {
            throw new IllegalArgumentException("recordedBy: required");
        }
    }

    /** Whether both record the same fit: weights, job, scans and scores (not who recorded it, nor when). */
    public boolean sameFit(FusionWeights other) {
        return modelSetId.equals(other.modelSetId) && weights.equals(other.weights)
                && evaluateJobId.equals(other.evaluateJobId) && scanIds.equals(other.scanIds)
                && Double.compare(meanIoU, other.meanIoU) == 0
                && Double.compare(equalWeightsMeanIoU, other.equalWeightsMeanIoU) == 0
                && memberMeanIoU.equals(other.memberMeanIoU);
    }
}
