package org.triplane.db.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;
import org.triplane.imaging.plane.Plane;

/** Creating model sets (role {@code triplane_worker}: training output, not client data) and reading them. */
public final class ModelSets {

    private ModelSets() {
    }

    /**
     * @param c           transaction (role {@link Roles#WORKER})
     * @param name        unique name
     * @param fusionRule  how planes are combined, e.g. {@code MAJORITY_2_OF_3}
     * @param codeVersion version of the assembling code
     * @return the new model set
     * @throws SQLException on database errors
     */
    public static ModelSet create(Connection c, String name, String fusionRule, String codeVersion)
            throws SQLException {
        return create(c, name, fusionRule, codeVersion, null, null, null);
    }

    /**
     * Creates the model set a TRAIN job (or one fold of a k-fold TRAIN job) trains into.
     *
     * @param c             transaction (role {@link Roles#WORKER})
     * @param name          unique name
     * @param fusionRule    how planes are combined, e.g. {@code MAJORITY_2_OF_3}
     * @param codeVersion   version of the assembling code
     * @param trainingJobId the TRAIN job
     * @param fold          the fold 1..{@code foldCount}, or {@code null} when the job is not k-fold
     * @param foldCount     k, or {@code null} exactly when {@code fold} is
     * @return the new model set
     * @throws IllegalArgumentException when fold and foldCount do not fit together (nothing written)
     * @throws SQLException             on database errors, a unique violation for a second set of the same fold
     */
    public static ModelSet create(Connection c, String name, String fusionRule, String codeVersion, UUID trainingJobId,
                           Integer fold, Integer foldCount) throws SQLException {
        if ((fold == null) != (foldCount == null)) {
            throw new IllegalArgumentException("fold and foldCount: both or neither, got fold " + fold + ", foldCount "
                    + foldCount);
        }
        if (fold != null && (foldCount < 2 || fold < 1 || fold > foldCount)) {
            throw new IllegalArgumentException("fold: must be 1.." + foldCount + " with foldCount >= 2, got " + fold);
        }
        if (fold != null && trainingJobId == null) {
            throw new IllegalArgumentException("trainingJobId: required for a fold's model set");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO model_sets (name, fusion_rule, code_version, training_job_id, fold, fold_count)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING *""")) {
            ps.setString(1, name);
            ps.setString(2, fusionRule);
            ps.setString(3, codeVersion);
            Rows.setUuid(ps, 4, trainingJobId);
            Rows.setInteger(ps, 5, fold);
            Rows.setInteger(ps, 6, foldCount);
            return Rows.single(ps, ModelSets::map);
        }
    }

    /**
     * @param c             transaction (any role)
     * @param trainingJobId a TRAIN job
     * @return the model sets it produced, by fold (a set without fold first), empty before its training started
     * @throws SQLException on database errors
     */
    public static List<ModelSet> ofTrainingJob(Connection c, UUID trainingJobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM model_sets WHERE training_job_id = ? ORDER BY fold NULLS FIRST, created_at, id")) {
            Rows.setUuid(ps, 1, trainingJobId);
            return Rows.list(ps, ModelSets::map);
        }
    }

    /**
     * @param c             transaction (any role)
     * @param trainingJobId a TRAIN job
     * @return its k-fold sets, fold 1..k (a k-fold job names no single set; its sets name it), empty
     *         for a job without folds or before its training started
     * @throws SQLException on database errors
     */
    public static List<ModelSet> foldSetsOfTrainingJob(Connection c, UUID trainingJobId) throws SQLException {
        return ofTrainingJob(c, trainingJobId).stream().filter(ModelSet::isFold).toList();
    }

    /**
     * @param c  transaction (any role: the catalogue is shared by all tenants)
     * @param id model set id
     * @return the set, or empty when absent
     * @throws SQLException on database errors
     */
    public static Optional<ModelSet> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM model_sets WHERE id = ?")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, ModelSets::map));
        }
    }

    /**
     * @param c    transaction
     * @param name the set's unique name
     * @return the set, or empty when no set has that name
     * @throws SQLException on database errors
     */
    public static Optional<ModelSet> findByName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM model_sets WHERE name = ?")) {
            ps.setString(1, name);
            return Optional.ofNullable(Rows.single(ps, ModelSets::map));
        }
    }

    /**
     * @param c             transaction (any role)
     * @param trainingJobId a k-fold TRAIN job
     * @return the models registered so far in its fold sets, with their best validation mean IoU, by plane and fold
     * @throws SQLException on database errors
     */
    public static List<FoldModel> foldModelsOf(Connection c, UUID trainingJobId) throws SQLException {
        // why jsonb: the best epoch's mean IoU lives in the model's validation metrics, written by the gpu-worker
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.fold, s.id AS set_id, m.plane, m.id AS model_id,
                       CASE WHEN jsonb_typeof(m.validation_metrics -> 'meanIoU') = 'number'
                            THEN (m.validation_metrics ->> 'meanIoU')::double precision END AS mean_iou
                  FROM model_sets s JOIN models m ON m.model_set_id = s.id
                 WHERE s.training_job_id = ? AND s.fold IS NOT NULL
                 ORDER BY m.plane, s.fold""")) {
            Rows.setUuid(ps, 1, trainingJobId);
            return Rows.list(ps, rs -> {
                double iou = rs.getDouble("mean_iou");
                Double iouOrNull = rs.wasNull() ? null : iou;
                return new FoldModel(rs.getInt("fold"), Rows.uuid(rs, "set_id"), Plane.valueOf(rs.getString("plane")),
                        Rows.uuid(rs, "model_id"), iouOrNull);
            });
        }
    }

    private static ModelSet map(ResultSet rs) throws SQLException {
        return new ModelSet(Rows.uuid(rs, "id"), rs.getString("name"), rs.getString("fusion_rule"),
                rs.getString("code_version"), Rows.instant(rs, "created_at"), Rows.uuid(rs, "training_job_id"),
                Rows.nullableInt(rs, "fold"), Rows.nullableInt(rs, "fold_count"), rs.getBoolean("is_default"),
                rs.getString("shipped_sha256"));
    }
}
