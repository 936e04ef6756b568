package org.triplane.db.scans;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/** Inserting and reading {@code scans}. Visibility follows row-level security. */
public final class Scans {

    private Scans() {
    }

    /**
     * @param c transaction acting for {@code scan.tenantId()} (row-level security checks it)
     * @param s the scan to record
     * @return the stored row
     * @throws SQLException on database errors, including a tenant mismatch
     */
    public static Scan insert(Connection c, NewScan s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO scans (tenant_id, ct_key, ct_sha256, ct_size_bytes,
                                   transform_key, transform_sha256, transform_size_bytes,
                                   labels_key, labels_sha256, labels_size_bytes,
                                   dims, spacing_mm, origin_mm, direction,
                                   transform_parameters, transform_centre_mm, euler_deg,
                                   window_low_hu, window_high_hu, transform_origin,
                                   ct_uploaded_sha256, labels_uploaded_sha256, deidentified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING *""")) {
            Rows.setUuid(ps, 1, s.tenantId());
            setObject(ps, 2, s.ct());
            setObject(ps, 5, s.transformFile());
            setObject(ps, 8, s.labels());
            ScanGeometry g = s.geometry();
            Rows.setInts(c, ps, 11, g.dims());
            Rows.setDoubles(c, ps, 12, g.spacingMm());
            Rows.setDoubles(c, ps, 13, g.originMm());
            Rows.setDoubles(c, ps, 14, g.direction());
            ScanTransform t = s.transform();
            Rows.setDoubles(c, ps, 15, t == null ? null : t.parameters());
            Rows.setDoubles(c, ps, 16, t == null ? null : t.centreMm());
            Rows.setDoubles(c, ps, 17, t == null ? null : t.eulerDeg());
            ps.setDouble(18, s.window().lowHu());
            ps.setDouble(19, s.window().highHu());
            ps.setString(20, s.transformFile() == null ? null : TransformOrigin.UPLOADED.wireName());
            ScanUpload u = s.upload();
            ps.setString(21, u == null ? null : u.ctSha256());
            ps.setString(22, u == null ? null : u.labelsSha256());
            ps.setBoolean(23, u != null && u.deidentified());
            return Rows.single(ps, Scans::map);
        }
    }

    /**
     * Records the transform the preprocess-worker derived for a scan uploaded without one
     * ({@code transform_origin = 'derived'}); an uploaded transform is never replaced, a derived one
     * is (a redone task writes the same values under the same key).
     *
     * @param c      transaction
     * @param scanId the scan
     * @param file   the derived ITK transform file in the object store
     * @param t      its parameters, centre and Euler angles
     * @return the scan as it now is (its own transform when it had one uploaded), empty when absent
     * @throws SQLException on database errors
     */
    public static Optional<Scan> recordDerivedTransform(Connection c, UUID scanId, StoredObject file, ScanTransform t)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE scans SET transform_key = ?, transform_sha256 = ?, transform_size_bytes = ?,
                                 transform_parameters = ?, transform_centre_mm = ?, euler_deg = ?,
                                 transform_origin = 'derived'
                WHERE id = ? AND transform_origin IS DISTINCT FROM 'uploaded'""")) {
            setObject(ps, 1, file);
            Rows.setDoubles(c, ps, 4, t.parameters());
            Rows.setDoubles(c, ps, 5, t.centreMm());
            Rows.setDoubles(c, ps, 6, t.eulerDeg());
            Rows.setUuid(ps, 7, scanId);
            ps.executeUpdate();
        }
        return find(c, scanId);
    }

    /**
     * @param c  transaction
     * @param id scan id
     * @return the scan, or empty when absent or another tenant's
     * @throws SQLException on database errors
     */
    public static Optional<Scan> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM scans WHERE id = ?")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, Scans::map));
        }
    }

    /**
     * @param c     transaction
     * @param limit most rows returned
     * @return the visible scans, newest first
     * @throws SQLException on database errors
     */
    public static List<Scan> list(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM scans ORDER BY created_at DESC, id LIMIT ?")) {
            ps.setInt(1, limit);
            return Rows.list(ps, Scans::map);
        }
    }

    private static void setObject(PreparedStatement ps, int first, StoredObject o) throws SQLException {
        ps.setString(first, o == null ? null : o.key());
        ps.setString(first + 1, o == null ? null : o.sha256());
        if (o == null) {
            ps.setNull(first + 2, java.sql.Types.BIGINT);
        } else {
            ps.setLong(first + 2, o.sizeBytes());
        }
    }

    private static StoredObject object(ResultSet rs, String prefix) throws SQLException {
        String key = rs.getString(prefix + "_key");
        return key == null ? null
                : new StoredObject(key, rs.getString(prefix + "_sha256"), rs.getLong(prefix + "_size_bytes"));
    }

    private static TransformOrigin origin(String value) {
        return value == null ? null : TransformOrigin.fromWireName(value);
    }

    public static Scan map(ResultSet rs) throws SQLException {
        List<Double> parameters = Rows.doubles(rs, "transform_parameters");
        ScanTransform transform = parameters == null ? null
                : new ScanTransform(parameters, Rows.doubles(rs, "transform_centre_mm"), Rows.doubles(rs, "euler_deg"));
        return new Scan(
                Rows.uuid(rs, "id"),
                Rows.uuid(rs, "tenant_id"),
                Rows.enumValue(rs, "state", ScanState.class),
                object(rs, "ct"),
                object(rs, "transform"),
                object(rs, "labels"),
                new ScanGeometry(Rows.ints(rs, "dims"), Rows.doubles(rs, "spacing_mm"),
                        Rows.doubles(rs, "origin_mm"), Rows.doubles(rs, "direction")),
                transform,
                origin(rs.getString("transform_origin")),
                new HuWindow(rs.getDouble("window_low_hu"), rs.getDouble("window_high_hu")),
                Rows.instant(rs, "created_at"),
                new ScanUpload(rs.getString("ct_uploaded_sha256"), rs.getString("labels_uploaded_sha256"),
                        rs.getBoolean("deidentified")));
    }
}
