package org.triplane.db.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/**
 * Results and per-class metrics. Both are upserts on their natural keys, so a redelivered fusion
 * event rewrites the same rows instead of adding duplicates.
 */
public final class Results {

    private Results() {
    }

    /**
     * Inserts or replaces the result of one scan of one job.
     *
     * @param c transaction
     * @param r output object keys
     * @throws SQLException on database errors
     */
    public static void upsertResult(Connection c, ScanResult r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO results (tenant_id, job_id, scan_id, model_set_id, segmentation_key, report_key, plane_keys)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (job_id, scan_id) DO UPDATE
                   SET model_set_id = EXCLUDED.model_set_id, segmentation_key = EXCLUDED.segmentation_key,
                       report_key = EXCLUDED.report_key, plane_keys = EXCLUDED.plane_keys""")) {
            Rows.setUuid(ps, 1, r.tenantId());
            Rows.setUuid(ps, 2, r.jobId());
            Rows.setUuid(ps, 3, r.scanId());
            Rows.setUuid(ps, 4, r.modelSetId());
            ps.setString(5, r.segmentationKey());
            ps.setString(6, r.reportKey());
            ps.setString(7, r.planeKeysJson());
            ps.executeUpdate();
        }
    }

    /**
     * @param c      transaction
     * @param jobId  the job
     * @param scanId the scan
     * @return its result, or empty
     * @throws SQLException on database errors
     */
    public static Optional<ScanResult> findResult(Connection c, UUID jobId, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM results WHERE job_id = ? AND scan_id = ?")) {
            Rows.setUuid(ps, 1, jobId);
            Rows.setUuid(ps, 2, scanId);
            return Optional.ofNullable(Rows.single(ps, rs -> new ScanResult(Rows.uuid(rs, "tenant_id"),
                    Rows.uuid(rs, "job_id"), Rows.uuid(rs, "scan_id"), Rows.uuid(rs, "model_set_id"),
                    rs.getString("segmentation_key"), rs.getString("report_key"), rs.getString("plane_keys"))));
        }
    }

    /**
     * Inserts or replaces per-class metrics.
     *
     * @param c       transaction
     * @param metrics rows to write
     * @throws SQLException on database errors
     */
    public static void upsertClassMetrics(Connection c, List<ClassMetric> metrics) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO class_metrics (tenant_id, job_id, scan_id, model_set_id, plane, class_label,
                                           tp, fp, fn, tn, iou, dice, misclassification, fp_fn_ratio, gt_ml, pred_ml)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (job_id, scan_id, model_set_id, plane, class_label) DO UPDATE
                   SET tp = EXCLUDED.tp, fp = EXCLUDED.fp, fn = EXCLUDED.fn, tn = EXCLUDED.tn,
                       iou = EXCLUDED.iou, dice = EXCLUDED.dice, misclassification = EXCLUDED.misclassification,
                       fp_fn_ratio = EXCLUDED.fp_fn_ratio, gt_ml = EXCLUDED.gt_ml, pred_ml = EXCLUDED.pred_ml""")) {
            for (ClassMetric m : metrics) {
                Rows.setUuid(ps, 1, m.tenantId());
                Rows.setUuid(ps, 2, m.jobId());
                Rows.setUuid(ps, 3, m.scanId());
                Rows.setUuid(ps, 4, m.modelSetId());
                Rows.setEnum(ps, 5, m.plane());
                ps.setInt(6, m.classLabel());
                ps.setLong(7, m.tp());
                ps.setLong(8, m.fp());
                ps.setLong(9, m.fn());
                ps.setLong(10, m.tn());
                Rows.setNullableDouble(ps, 11, m.iou());
                Rows.setNullableDouble(ps, 12, m.dice());
                Rows.setNullableDouble(ps, 13, m.misclassification());
                Rows.setNullableDouble(ps, 14, m.fpFnRatio());
                ps.setDouble(15, m.gtMl());
                ps.setDouble(16, m.predMl());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * @param c      transaction
     * @param jobId  the job
     * @param scanId the scan
     * @return its per-class metrics, ordered by model set, plane and class
     * @throws SQLException on database errors
     */
    public static List<ClassMetric> classMetrics(Connection c, UUID jobId, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM class_metrics WHERE job_id = ? AND scan_id = ? ORDER BY model_set_id, plane, class_label""")) {
            Rows.setUuid(ps, 1, jobId);
            Rows.setUuid(ps, 2, scanId);
            return Rows.list(ps, Results::mapMetric);
        }
    }

    /** Maps a row of {@code class_metrics}. */
    public static ClassMetric mapMetric(ResultSet rs) throws SQLException {
        return new ClassMetric(
                Rows.uuid(rs, "tenant_id"),
                Rows.uuid(rs, "job_id"),
                Rows.uuid(rs, "scan_id"),
                Rows.uuid(rs, "model_set_id"),
                Rows.enumValue(rs, "plane", MetricPlane.class),
                rs.getInt("class_label"),
                rs.getLong("tp"),
                rs.getLong("fp"),
                rs.getLong("fn"),
                rs.getLong("tn"),
                Rows.nullableDouble(rs, "iou"),
                Rows.nullableDouble(rs, "dice"),
                Rows.nullableDouble(rs, "misclassification"),
                Rows.nullableDouble(rs, "fp_fn_ratio"),
                rs.getDouble("gt_ml"),
                rs.getDouble("pred_ml"));
    }
}
