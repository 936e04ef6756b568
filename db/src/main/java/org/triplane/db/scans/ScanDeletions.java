package org.triplane.db.scans;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.Jobs;

/**
 * Deleting a scan through {@code delete_scan()} (V31) and reading the deletion records: lock the scan,
 * look at the jobs that use it, remove its objects (the caller), then delete its rows and record the
 * deletion, all in the tenant's transaction.
 */
public final class ScanDeletions {

    private ScanDeletions() {
    }

    /**
     * The scan row locked until the transaction ends: a job naming it waits, and a second delete too.
     *
     * @param c      transaction
     * @param scanId the scan
     * @return the scan; empty when absent or another tenant's
     * @throws SQLException on database errors
     */
    public static Optional<Scan> lock(Connection c, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM scans WHERE id = ? FOR UPDATE")) {
            Rows.setUuid(ps, 1, scanId);
            return Optional.ofNullable(Rows.single(ps, Scans::map));
        }
    }

    /**
     * @param c      transaction
     * @param scanId a scan
     * @return the visible jobs it is part of, oldest first
     * @throws SQLException on database errors
     */
    public static List<Job> jobsOf(Connection c, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT j.* FROM jobs j JOIN job_scans js ON js.job_id = j.id
                 WHERE js.scan_id = ? ORDER BY j.created_at, j.id""")) {
            Rows.setUuid(ps, 1, scanId);
            return Rows.list(ps, Jobs::map);
        }
    }

    /**
     * Deletes a scan of the connection's tenant with every row derived from it (its rows in jobs, tasks,
     * results, metrics, registration) and records the deletion, in the caller's transaction. The caller has
     * removed its objects and passes their checksums.
     *
     * @param c           the tenant's transaction, which has locked the scan ({@link #lock})
     * @param scanId      the scan
     * @param actor       who deletes
     * @param objectsJson the objects removed, a JSON array of {@code {key, sha256, bytes}}
     * @return the deletion record, empty when the tenant has no such scan
     * @throws SQLException on database errors; SQLState 55006 when an unfinished job uses the scan
     */
    public static Optional<ScanDeletion> delete(Connection c, UUID scanId, String actor, String objectsJson)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM delete_scan(?, ?, ?::jsonb)")) {
            Rows.setUuid(ps, 1, scanId);
            ps.setString(2, actor);
            ps.setString(3, objectsJson);
            return Optional.ofNullable(Rows.single(ps, ScanDeletions::map));
        }
    }

    /**
     * @param c      transaction
     * @param scanId a deleted scan
     * @return its deletion record, empty when it was not deleted or is another tenant's
     * @throws SQLException on database errors
     */
    public static Optional<ScanDeletion> find(Connection c, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM scan_deletions WHERE scan_id = ?")) {
            Rows.setUuid(ps, 1, scanId);
            return Optional.ofNullable(Rows.single(ps, ScanDeletions::map));
        }
    }

    private static ScanDeletion map(ResultSet rs) throws SQLException {
        Array jobs = rs.getArray("job_ids");
        List<UUID> jobIds = jobs == null ? List.of() : Arrays.stream((Object[]) jobs.getArray()).map(o -> (UUID) o).toList();
        return new ScanDeletion(Rows.uuid(rs, "scan_id"), Rows.uuid(rs, "tenant_id"), Rows.instant(rs, "deleted_at"),
                rs.getString("deleted_by"), rs.getString("ct_sha256"), rs.getString("ct_uploaded_sha256"),
                rs.getString("transform_sha256"), rs.getString("labels_sha256"), rs.getString("labels_uploaded_sha256"),
                jobIds, rs.getString("objects"));
    }
}
