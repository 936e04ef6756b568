package org.triplane.db.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Rows;
import org.triplane.imaging.plane.Plane;

/** Registering and reading trained models (role {@code triplane_worker} writes; clients read). */
public final class Models {

    private Models() {
    }

    /**
     * Registers a trained model.
     *
     * @param c transaction (role {@link Roles#WORKER})
     * @param m the model; {@code id} and {@code createdAt} are ignored and assigned here
     * @return the stored row
     * @throws SQLException on database errors, a unique violation when the set already has a model
     *                      for that plane
     */
    public static Model insert(Connection c, Model m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO models (model_set_id, plane, architecture, hyper_parameters, seed, training_scan_ids,
                    training_scan_sha256, voxel_spacing_mm, slice_size, code_version, training_duration_seconds,
                    validation_metrics, weights_key, weights_sha256)
                VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) RETURNING *""")) {
            ps.setObject(1, m.modelSetId());
            ps.setString(2, m.plane().name());
            ps.setString(3, m.architecture());
            ps.setString(4, m.hyperParametersJson());
            ps.setLong(5, m.seed());
            Rows.setUuids(c, ps, 6, m.trainingScanIds());
            Rows.setTexts(c, ps, 7, m.trainingScanSha256());
            Rows.setDoubles(c, ps, 8, m.voxelSpacingMm());
            Rows.setInts(c, ps, 9, m.sliceSize());
            ps.setString(10, m.codeVersion());
            if (m.trainingDurationSeconds() == null) {
                ps.setNull(11, Types.DOUBLE);
            } else {
                ps.setDouble(11, m.trainingDurationSeconds());
            }
            ps.setString(12, m.validationMetricsJson());
            ps.setString(13, m.weightsKey());
            ps.setString(14, m.weightsSha256());
            return Rows.single(ps, Models::read);
        }
    }

    /**
     * @param c          transaction
     * @param modelSetId the set
     * @return its models, ordered by plane
     * @throws SQLException on database errors
     */
    public static List<Model> ofSet(Connection c, UUID modelSetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM models WHERE model_set_id = ? ORDER BY plane")) {
            ps.setObject(1, modelSetId);
            return Rows.list(ps, Models::read);
        }
    }

    /**
     * @param c     transaction
     * @param limit most rows returned
     * @return the registry, newest first
     * @throws SQLException on database errors
     */
    public static List<Model> recent(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM models ORDER BY created_at DESC, plane LIMIT ?")) {
            ps.setInt(1, limit);
            return Rows.list(ps, Models::read);
        }
    }

    private static Model read(ResultSet rs) throws SQLException {
        double duration = rs.getDouble("training_duration_seconds");
        Double durationOrNull = rs.wasNull() ? null : duration;
        return new Model(Rows.uuid(rs, "id"), Rows.uuid(rs, "model_set_id"), Plane.valueOf(rs.getString("plane")),
                rs.getString("architecture"), rs.getString("hyper_parameters"), rs.getLong("seed"),
                Rows.uuids(rs, "training_scan_ids"),
                List.of((String[]) rs.getArray("training_scan_sha256").getArray()), Rows.doubles(rs, "voxel_spacing_mm"),
                Rows.ints(rs, "slice_size"), rs.getString("code_version"), durationOrNull,
                rs.getString("validation_metrics"), rs.getString("weights_key"), rs.getString("weights_sha256"),
                Rows.instant(rs, "created_at"));
    }
}
