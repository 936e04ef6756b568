package org.triplane.db.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/**
 * Fused results: written once per (job, scan). A second write, from a redone fusion task or a
 * retried commit, finds the row present and leaves it exactly as it was.
 */
public final class FusedResults {

    private FusedResults() {
    }

    /**
     * Records the fused result of one scan of one job, once: when a result row for (job, scan)
     * already exists it is left exactly as it is (a finished job's results never change).
     *
     * @param c transaction
     * @param r the fused result
     * @return {@code true} when this call wrote the row, {@code false} when one already existed
     * @throws SQLException on database errors
     */
    public static boolean insertIfAbsent(Connection c, FusedResult r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO results (tenant_id, job_id, scan_id, model_set_id, segmentation_key, report_key, plane_keys,
                                     rotated_segmentation_key, fusion_method, region_statistics, evaluation)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb)
                ON CONFLICT (job_id, scan_id) DO NOTHING""")) {
            Rows.setUuid(ps, 1, r.tenantId());
            Rows.setUuid(ps, 2, r.jobId());
            Rows.setUuid(ps, 3, r.scanId());
            Rows.setUuid(ps, 4, r.modelSetId());
            ps.setString(5, r.segmentationKey());
            ps.setString(6, r.reportKey());
            ps.setString(7, r.planeKeysJson());
            ps.setString(8, r.rotatedSegmentationKey());
            ps.setString(9, r.fusionMethod());
            ps.setString(10, r.regionStatisticsJson());
            ps.setString(11, r.evaluationJson());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * @param c      transaction
     * @param jobId  the job
     * @param scanId the scan
     * @return the fusion-worker's result for that scan, or empty
     * @throws SQLException on database errors
     */
    public static Optional<FusedResult> find(Connection c, UUID jobId, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM results WHERE job_id = ? AND scan_id = ? AND fusion_method IS NOT NULL""")) {
            Rows.setUuid(ps, 1, jobId);
            Rows.setUuid(ps, 2, scanId);
            return Optional.ofNullable(Rows.single(ps, FusedResults::map));
        }
    }

    /** Maps a row of {@code results} written by the fusion-worker. */
    public static FusedResult map(ResultSet rs) throws SQLException {
        return new FusedResult(Rows.uuid(rs, "tenant_id"), Rows.uuid(rs, "job_id"), Rows.uuid(rs, "scan_id"),
                Rows.uuid(rs, "model_set_id"), rs.getString("segmentation_key"), rs.getString("rotated_segmentation_key"),
                rs.getString("plane_keys"), rs.getString("fusion_method"), rs.getString("region_statistics"),
                rs.getString("evaluation"), rs.getString("report_key"));
    }
}
