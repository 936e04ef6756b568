package org.triplane.db.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/**
 * The learned fusion's weights of the model sets (any role reads; the app role records them for a
 * tenant's fit, the worker role with a shipped set), each recorded once: the row, with who recorded
 * it and when, is their audit record.
 */
public final class ModelSetFusionWeights {

    private ModelSetFusionWeights() {
    }

    /**
     * Records a model set's learned fusion weights, with who records them ({@code recordedBy}) and
     * when, unless the set has weights already: a set's weights are recorded once and never change
     * (the database refuses UPDATE and DELETE), so that every job that fused with them stays
     * explainable. Concurrent callers take turns on the set's row.
     *
     * @param c transaction (role {@link Roles#APP} in the tenant of {@code weights.tenantId()}, or
     *                {@link Roles#WORKER})
     * @param w the weights; {@code recordedAt} is ignored and assigned here
     * @return the stored weights and whether this call recorded them
     * @throws SQLException on database errors (a foreign-key violation when the set does not exist, or the
     *                      evaluate job is not the tenant's)
     */
    public static FusionWeightsRecording record(Connection c, FusionWeights w) throws SQLException {
        boolean inserted;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO model_set_fusion_weights (model_set_id, weights, evaluate_job_id, tenant_id, scan_ids, mean_iou,
                                                      equal_weights_mean_iou, member_mean_iou, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model_set_id) DO NOTHING""")) {
            Rows.setUuid(ps, 1, w.modelSetId());
            Rows.setDoubles(c, ps, 2, w.weights());
            Rows.setUuid(ps, 3, w.evaluateJobId());
            Rows.setUuid(ps, 4, w.tenantId());
            Rows.setUuids(c, ps, 5, w.scanIds());
            ps.setDouble(6, w.meanIoU());
            ps.setDouble(7, w.equalWeightsMeanIoU());
            Rows.setDoubles(c, ps, 8, w.memberMeanIoU());
            ps.setString(9, w.recordedBy());
            inserted = ps.executeUpdate() == 1;
        }
        return new FusionWeightsRecording(find(c, w.modelSetId()).orElseThrow(), inserted);
    }

    /**
     * @param c          transaction (any role)
     * @param modelSetId a model set
     * @return its learned fusion weights, empty when none are recorded
     * @throws SQLException on database errors
     */
    public static Optional<FusionWeights> find(Connection c, UUID modelSetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM model_set_fusion_weights WHERE model_set_id = ?")) {
            Rows.setUuid(ps, 1, modelSetId);
            return Optional.ofNullable(Rows.single(ps, ModelSetFusionWeights::map));
        }
    }

    private static FusionWeights map(ResultSet rs) throws SQLException {
        return new FusionWeights(Rows.uuid(rs, "model_set_id"), Rows.doubles(rs, "weights"), Rows.uuid(rs, "evaluate_job_id"),
                Rows.uuids(rs, "scan_ids"), rs.getDouble("mean_iou"), rs.getDouble("equal_weights_mean_iou"),
                Rows.doubles(rs, "member_mean_iou"), Rows.uuid(rs, "tenant_id"), Rows.instant(rs, "recorded_at"),
                rs.getString("recorded_by"));
    }
}
