package org.triplane.db.scans;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/** Writing and reading {@code scan_registrations}, one row per scan. Visibility follows row-level security. */
public final class ScanRegistrations {

    private ScanRegistrations() {
    }

    /**
     * Writes a scan's atlas registration, replacing an earlier one (one row per scan).
     *
     * @param c transaction
     * @param r the registration
     * @return the stored row
     * @throws SQLException on database errors
     */
    public static ScanRegistration upsert(Connection c, ScanRegistration r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO scan_registrations (tenant_id, scan_id, method, quality, scan_to_atlas_parameters,
                                                scan_to_atlas_centre_mm, rotated_to_atlas, seconds, atlas_warp,
                                                warp_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, scan_id) DO UPDATE SET
                    method = EXCLUDED.method, quality = EXCLUDED.quality,
                    scan_to_atlas_parameters = EXCLUDED.scan_to_atlas_parameters,
                    scan_to_atlas_centre_mm = EXCLUDED.scan_to_atlas_centre_mm,
                    rotated_to_atlas = EXCLUDED.rotated_to_atlas, seconds = EXCLUDED.seconds,
                    atlas_warp = EXCLUDED.atlas_warp, warp_seconds = EXCLUDED.warp_seconds,
                    registered_at = now()
                RETURNING *""")) {
            Rows.setUuid(ps, 1, r.tenantId());
            Rows.setUuid(ps, 2, r.scanId());
            ps.setString(3, r.method());
            ps.setDouble(4, r.quality());
            Rows.setDoubles(c, ps, 5, r.scanToAtlasParameters());
            Rows.setDoubles(c, ps, 6, r.scanToAtlasCentreMm());
            Rows.setDoubles(c, ps, 7, r.rotatedToAtlas());
            ps.setDouble(8, r.seconds());
            if (r.atlasWarp() == null) {
                ps.setNull(9, java.sql.Types.ARRAY);
                ps.setNull(10, java.sql.Types.DOUBLE);
            } else {
                Rows.setDoubles(c, ps, 9, r.atlasWarp());
                ps.setDouble(10, r.warpSeconds());
            }
            return Rows.single(ps, ScanRegistrations::map);
        }
    }

    /**
     * @param c      transaction
     * @param scanId the scan
     * @return its atlas registration, empty when it has none yet (or it is another tenant's)
     * @throws SQLException on database errors
     */
    public static Optional<ScanRegistration> find(Connection c, UUID scanId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM scan_registrations WHERE scan_id = ?")) {
            Rows.setUuid(ps, 1, scanId);
            return Optional.ofNullable(Rows.single(ps, ScanRegistrations::map));
        }
    }

    static ScanRegistration map(ResultSet rs) throws SQLException {
        return new ScanRegistration(Rows.uuid(rs, "tenant_id"), Rows.uuid(rs, "scan_id"), rs.getString("method"),
                rs.getDouble("quality"), Rows.doubles(rs, "scan_to_atlas_parameters"),
                Rows.doubles(rs, "scan_to_atlas_centre_mm"), Rows.doubles(rs, "rotated_to_atlas"),
                rs.getDouble("seconds"), Rows.instant(rs, "registered_at"),
                Rows.doubles(rs, "atlas_warp"),
                rs.getObject("warp_seconds") == null ? null : rs.getDouble("warp_seconds"));
    }
}
