package org.triplane.db.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.triplane.db.ListPosition;
import org.triplane.db.Rows;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.ComparedScan;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.results.MetricComparison;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.results.MetricSummary;
import org.triplane.db.results.ModelSetComparison;
import org.triplane.db.results.Results;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;

/**
 * Read-only queries of the audit and comparison views: filtered job lists, a job's results and
 * metrics, and metric comparisons between jobs and between model sets. Visibility follows
 * row-level security, so under the app role every query sees only the transaction's tenant.
 */
public final class AuditQueries {

    /** Order of predictions in every answer: the three planes, then their fusion. */
    private static final String PLANE_ORDER = "array_position(ARRAY['AXIAL','CORONAL','SAGITTAL','ATLAS','FUSED'], %s)";

    private AuditQueries() {
    }

    /**
     * Jobs of the connection's tenant matching every given filter, newest first (the audit list).
     *
     * @param c      transaction
     * @param filter state, kind, model set, model and creation-time filters; {@code null} fields match all
     * @param limit  most rows returned
     * @return the matching jobs
     * @throws SQLException on database errors
     */
    public static List<Job> listJobs(Connection c, JobFilter filter, int limit) throws SQLException {
        return listJobs(c, filter, null, limit);
    }

    /**
     * One page of the audit list: jobs of the connection's tenant matching the filters, ordered by creation
     * time then id, newest first, after a position.
     *
     * @param c     transaction
     * @param f     state, kind, model set, model and creation-time filters
     * @param after where the previous page ended, or {@code null} for the first page
     * @param limit most rows returned
     * @return the matching jobs after the position
     * @throws SQLException on database errors
     */
    public static List<Job> listJobs(Connection c, JobFilter f, ListPosition after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM jobs
                 WHERE (?::text IS NULL OR state = ?::text)
                   AND (?::text IS NULL OR kind = ?::text)
                   AND (?::uuid IS NULL OR model_set_id = ?::uuid
                        OR id = (SELECT training_job_id FROM model_sets WHERE id = ?::uuid))
                   AND (?::uuid IS NULL OR model_set_id = (SELECT model_set_id FROM models WHERE id = ?::uuid)
                        OR id = (SELECT s.training_job_id FROM model_sets s JOIN models m ON m.model_set_id = s.id
                                  WHERE m.id = ?::uuid))
                   AND (?::timestamptz IS NULL OR created_at >= ?::timestamptz)
                   AND (?::timestamptz IS NULL OR created_at < ?::timestamptz)
                   AND """ + ListPosition.AFTER + """
                 ORDER BY created_at DESC, id DESC
                 LIMIT ?""")) {
            Rows.setEnum(ps, 1, f.state());
            Rows.setEnum(ps, 2, f.state());
            Rows.setEnum(ps, 3, f.kind());
            Rows.setEnum(ps, 4, f.kind());
            Rows.setUuid(ps, 5, f.modelSetId());
            Rows.setUuid(ps, 6, f.modelSetId());
            Rows.setUuid(ps, 7, f.modelSetId());
            Rows.setUuid(ps, 8, f.modelId());
            Rows.setUuid(ps, 9, f.modelId());
            Rows.setUuid(ps, 10, f.modelId());
            ps.setObject(11, utc(f.from()));
            ps.setObject(12, utc(f.from()));
            ps.setObject(13, utc(f.to()));
            ps.setObject(14, utc(f.to()));
            ps.setInt(ListPosition.bind(ps, 15, after), limit);
            return Rows.list(ps, Jobs::map);
        }
    }

    /**
     * @param c      transaction
     * @param sha256 SHA-256 of a CT, lower-case hex: of the stored object or of the part as uploaded
     * @return the visible scans whose stored CT object or uploaded CT part has that checksum, newest first
     * @throws SQLException on database errors
     */
    public static List<Scan> scansByCtSha256(Connection c, String sha256) throws SQLException {
        return listScans(c, sha256, null, Integer.MAX_VALUE);
    }

    /**
     * One page of the visible scans, ordered by creation time then id, newest first, after a position.
     *
     * @param c        transaction
     * @param ctSha256 only scans whose stored CT object or uploaded CT part has this SHA-256 (lower-case hex), or
     *                 {@code null}
     * @param after    where the previous page ended, or {@code null} for the first page
     * @param limit    most rows returned
     * @return the matching scans after the position
     * @throws SQLException on database errors
     */
    public static List<Scan> listScans(Connection c, String ctSha256, ListPosition after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM scans
                 WHERE (?::text IS NULL OR ct_sha256 = ?::text OR ct_uploaded_sha256 = ?::text)
                   AND """ + ListPosition.AFTER + """
                 ORDER BY created_at DESC, id DESC
                 LIMIT ?""")) {
            ps.setString(1, ctSha256);
            ps.setString(2, ctSha256);
            ps.setString(3, ctSha256);
            ps.setInt(ListPosition.bind(ps, 4, after), limit);
            return Rows.list(ps, Scans::map);
        }
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return the fusion-worker's results of the job, one per scan, ordered by scan id
     * @throws SQLException on database errors
     */
    public static List<FusedResult> fusedResults(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM results WHERE job_id = ? AND fusion_method IS NOT NULL ORDER BY scan_id""")) {
            Rows.setUuid(ps, 1, jobId);
            return Rows.list(ps, FusedResults::map);
        }
    }

    /**
     * @param c          transaction
     * @param jobId      the job
     * @param plane      only this prediction, or {@code null}
     * @param classLabel only this class 0..20, or {@code null}
     * @param scanId     only this scan, or {@code null}
     * @return the job's per-class metrics, ordered by scan, model set, prediction (axial, coronal,
     *         sagittal, fused) and class
     * @throws SQLException on database errors
     */
    public static List<ClassMetric> classMetrics(Connection c, UUID jobId, MetricPlane plane, Integer classLabel, UUID scanId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM class_metrics
                 WHERE job_id = ?
                   AND (?::text IS NULL OR plane = ?::text)
                   AND (?::smallint IS NULL OR class_label = ?::smallint)
                   AND (?::uuid IS NULL OR scan_id = ?::uuid)
                 ORDER BY scan_id, model_set_id, %s, class_label""".formatted(PLANE_ORDER.formatted("plane")))) {
            Rows.setUuid(ps, 1, jobId);
            Rows.setEnum(ps, 2, plane);
            Rows.setEnum(ps, 3, plane);
            Rows.setInteger(ps, 4, classLabel);
            Rows.setInteger(ps, 5, classLabel);
            Rows.setUuid(ps, 6, scanId);
            Rows.setUuid(ps, 7, scanId);
            return Rows.list(ps, Results::mapMetric);
        }
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return per scan and prediction, the mean IoU and Dice over the regions 1..20 that have one
     * @throws SQLException on database errors
     */
    public static List<MetricSummary> metricSummaries(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT scan_id, plane, avg(iou) AS mean_iou, avg(dice) FILTER (WHERE iou IS NOT NULL) AS mean_dice,
                       count(iou) AS regions
                  FROM class_metrics
                 WHERE job_id = ? AND class_label BETWEEN 1 AND 20
                 GROUP BY scan_id, plane
                 ORDER BY scan_id, %s""".formatted(PLANE_ORDER.formatted("plane")))) {
            Rows.setUuid(ps, 1, jobId);
            return Rows.list(ps, rs -> new MetricSummary(Rows.uuid(rs, "scan_id"),
                    Rows.enumValue(rs, "plane", MetricPlane.class), Rows.nullableDouble(rs, "mean_iou"),
                    Rows.nullableDouble(rs, "mean_dice"), rs.getInt("regions")));
        }
    }

    /**
     * @param c    transaction
     * @param jobA a job
     * @param jobB another job
     * @return the scans both jobs ran on, ordered by id
     * @throws SQLException on database errors
     */
    public static List<UUID> commonScans(Connection c, UUID jobA, UUID jobB) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.scan_id FROM job_scans a JOIN job_scans b ON b.scan_id = a.scan_id
                 WHERE a.job_id = ? AND b.job_id = ? ORDER BY a.scan_id""")) {
            Rows.setUuid(ps, 1, jobA);
            Rows.setUuid(ps, 2, jobB);
            return Rows.list(ps, rs -> rs.getObject(1, UUID.class));
        }
    }

    /**
     * Per prediction and class, the paired means of each metric over the scans both jobs have
     * metrics for (a = {@code jobA}, b = {@code jobB}).
     *
     * @param c    transaction
     * @param jobA a job
     * @param jobB another job
     * @return the comparisons, ordered by prediction (axial, coronal, sagittal, fused) and class
     * @throws SQLException on database errors
     */
    public static List<MetricComparison> compareJobs(Connection c, UUID jobA, UUID jobB) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(pairedMeans("""
                  FROM class_metrics a
                  JOIN class_metrics b ON b.scan_id = a.scan_id AND b.plane = a.plane AND b.class_label = a.class_label
                 WHERE a.job_id = ? AND b.job_id = ?"""))) {
            Rows.setUuid(ps, 1, jobA);
            Rows.setUuid(ps, 2, jobB);
            return Rows.list(ps, AuditQueries::comparison);
        }
    }

    /** Per set and scan, the most recently finished SUCCEEDED job with metrics of that set. */
    private static final String LATEST_RUNS = """
            WITH runs AS (
                SELECT DISTINCT ON (m.model_set_id, m.scan_id) m.model_set_id, m.scan_id, m.job_id
                  FROM class_metrics m JOIN jobs j ON j.id = m.job_id
                 WHERE j.state = 'SUCCEEDED' AND m.model_set_id IN (?, ?)
                 ORDER BY m.model_set_id, m.scan_id, j.finished_at DESC, j.id
            ), pairs AS (
                SELECT ra.scan_id, ra.job_id AS job_a, rb.job_id AS job_b
                  FROM runs ra JOIN runs rb ON rb.scan_id = ra.scan_id
                 WHERE ra.model_set_id = ? AND rb.model_set_id = ?
            )
            """;

    /**
     * Two model sets on the scans both were evaluated on by the tenant's SUCCEEDED jobs (per set
     * and scan the most recently finished such job).
     *
     * @param c    transaction
     * @param setA a model set
     * @param setB another model set
     * @return the common scans with the jobs used, and the paired metric means
     * @throws SQLException on database errors
     */
    public static ModelSetComparison compareModelSets(Connection c, UUID setA, UUID setB) throws SQLException {
        List<ComparedScan> scans;
        try (PreparedStatement ps = c.prepareStatement(LATEST_RUNS + "SELECT * FROM pairs ORDER BY scan_id")) {
            bindSets(ps, setA, setB);
            scans = Rows.list(ps, rs -> new ComparedScan(Rows.uuid(rs, "scan_id"), Rows.uuid(rs, "job_a"),
                    Rows.uuid(rs, "job_b")));
        }
        List<MetricComparison> metrics;
        try (PreparedStatement ps = c.prepareStatement(LATEST_RUNS + pairedMeans("""
                  FROM pairs p
                  JOIN class_metrics a ON a.job_id = p.job_a AND a.scan_id = p.scan_id AND a.model_set_id = ?
                  JOIN class_metrics b ON b.job_id = p.job_b AND b.scan_id = p.scan_id AND b.model_set_id = ?
                                      AND b.plane = a.plane AND b.class_label = a.class_label"""))) {
            bindSets(ps, setA, setB);
            Rows.setUuid(ps, 5, setA);
            Rows.setUuid(ps, 6, setB);
            metrics = Rows.list(ps, AuditQueries::comparison);
        }
        return new ModelSetComparison(scans, metrics);
    }

    private static void bindSets(PreparedStatement ps, UUID setA, UUID setB) throws SQLException {
        Rows.setUuid(ps, 1, setA);
        Rows.setUuid(ps, 2, setB);
        Rows.setUuid(ps, 3, setA);
        Rows.setUuid(ps, 4, setB);
    }

    /** The paired-means select over rows {@code a} and {@code b} joined by {@code from}. */
    private static String pairedMeans(String from) {
        StringBuilder sql = new StringBuilder("SELECT a.plane, a.class_label, count(*) AS scans");
        for (String m : List.of("iou", "dice", "fp_fn_ratio", "misclassification", "pred_ml")) {
            String both = "(WHERE a.%1$s IS NOT NULL AND b.%1$s IS NOT NULL)".formatted(m);
            sql.append(",\n avg(a.%1$s) FILTER %2$s AS %1$s_a, avg(b.%1$s) FILTER %2$s AS %1$s_b, count(*) FILTER %2$s AS %1$s_n"
                    .formatted(m, both));
        }
        return sql.append('\n').append(from)
                .append("\n GROUP BY a.plane, a.class_label ORDER BY ").append(PLANE_ORDER.formatted("a.plane"))
                .append(", a.class_label").toString();
    }

    private static MetricComparison comparison(ResultSet rs) throws SQLException {
        return new MetricComparison(Rows.enumValue(rs, "plane", MetricPlane.class), rs.getInt("class_label"),
                rs.getInt("scans"), means(rs, "iou"), means(rs, "dice"), means(rs, "fp_fn_ratio"),
                means(rs, "misclassification"), means(rs, "pred_ml"));
    }

    private static MetricComparison.Means means(ResultSet rs, String metric) throws SQLException {
        return new MetricComparison.Means(Rows.nullableDouble(rs, metric + "_a"), Rows.nullableDouble(rs, metric + "_b"),
                rs.getInt(metric + "_n"));
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
