package org.triplane.db.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Rows;

/** Writing and reading {@code training_epochs}. */
public final class TrainingEpochs {

    private TrainingEpochs() {
    }

    /**
     * Records one finished training epoch; a resumed task re-recording an epoch replaces the row.
     *
     * @param c transaction (role {@link Roles#WORKER})
     * @param e the epoch's losses and metrics
     * @throws SQLException on database errors
     */
    public static void upsert(Connection c, TrainingEpoch e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO training_epochs (task_id, tenant_id, attempt, epoch, train_loss, train_cross_entropy, train_mse,
                    validation_loss, validation_cross_entropy, validation_mse, validation_mean_iou, validation_iou, seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (task_id, epoch) DO UPDATE SET attempt = excluded.attempt, train_loss = excluded.train_loss,
                    train_cross_entropy = excluded.train_cross_entropy, train_mse = excluded.train_mse,
                    validation_loss = excluded.validation_loss, validation_cross_entropy = excluded.validation_cross_entropy,
                    validation_mse = excluded.validation_mse, validation_mean_iou = excluded.validation_mean_iou,
                    validation_iou = excluded.validation_iou, seconds = excluded.seconds, recorded_at = now()""")) {
            ps.setObject(1, e.taskId());
            ps.setObject(2, e.tenantId());
            ps.setInt(3, e.attempt());
            ps.setInt(4, e.epoch());
            ps.setDouble(5, e.trainLoss());
            Rows.setNullableDouble(ps, 6, e.trainCrossEntropy());
            Rows.setNullableDouble(ps, 7, e.trainMse());
            Rows.setNullableDouble(ps, 8, e.validationLoss());
            Rows.setNullableDouble(ps, 9, e.validationCrossEntropy());
            Rows.setNullableDouble(ps, 10, e.validationMse());
            Rows.setNullableDouble(ps, 11, e.validationMeanIou());
            Rows.setDoubles(c, ps, 12, e.validationIou());
            ps.setDouble(13, e.seconds());
            ps.executeUpdate();
        }
    }

    /**
     * @param c      transaction
     * @param taskId a TRAIN task
     * @return its epochs in order
     * @throws SQLException on database errors
     */
    public static List<TrainingEpoch> ofTask(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM training_epochs WHERE task_id = ? ORDER BY epoch")) {
            ps.setObject(1, taskId);
            return Rows.list(ps, rs -> new TrainingEpoch(Rows.uuid(rs, "task_id"), Rows.uuid(rs, "tenant_id"), rs.getInt("attempt"),
                            rs.getInt("epoch"), rs.getDouble("train_loss"), Rows.nullableDouble(rs, "train_cross_entropy"),
                            Rows.nullableDouble(rs, "train_mse"), Rows.nullableDouble(rs, "validation_loss"),
                            Rows.nullableDouble(rs, "validation_cross_entropy"), Rows.nullableDouble(rs, "validation_mse"),
                            Rows.nullableDouble(rs, "validation_mean_iou"), Rows.doubles(rs, "validation_iou"),
                            rs.getDouble("seconds"), Rows.instant(rs, "recorded_at")));
        }
    }
}
