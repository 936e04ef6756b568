package org.triplane.db.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Rows;

/** Recording and reading {@code dead_letters}. Visibility follows row-level security. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * Records input a worker gave up on, unless a letter with the same natural key (the message's
     * consumer, topic, partition and offset, or the task) exists. Call it in the transaction that
     * also appends the letter's outbox event and fails what the input was for.
     *
     * @param c transaction (role {@link Roles#WORKER})
     * @param d the letter
     * @return whether it was recorded now ({@code false}: recorded before, nothing written)
     * @throws SQLException on database errors
     */
    public static boolean record(Connection c, DeadLetter d) throws SQLException {
        // why no conflict target: either natural key (message or task, two partial unique indexes) may be the one hit
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO dead_letters (consumer, worker_id, reason, source_topic, source_partition, source_offset,
                                          tenant_id, job_id, scan_id, task_id, payload, failed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setString(1, d.consumer());
            ps.setString(2, d.workerId());
            ps.setString(3, d.reason());
            ps.setString(4, d.sourceTopic());
            if (d.ofMessage()) {
                ps.setInt(5, d.partition());
                ps.setLong(6, d.offset());
            } else {
                ps.setNull(5, Types.INTEGER);
                ps.setNull(6, Types.BIGINT);
            }
            Rows.setUuid(ps, 7, d.tenantId());
            Rows.setUuid(ps, 8, d.jobId());
            Rows.setUuid(ps, 9, d.scanId());
            Rows.setUuid(ps, 10, d.taskId());
            ps.setString(11, d.payload());
            ps.setObject(12, OffsetDateTime.ofInstant(d.failedAt(), ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return the dead letters that name it, oldest first
     * @throws SQLException on database errors
     */
    public static List<DeadLetter> ofJob(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dead_letters WHERE job_id = ? ORDER BY id")) {
            Rows.setUuid(ps, 1, jobId);
            return Rows.list(ps, DeadLetters::map);
        }
    }

    private static DeadLetter map(ResultSet rs) throws SQLException {
        // why from the topic: the table's check keeps partition and offset NULL exactly when the topic is
        String topic = rs.getString("source_topic");
        int partition = topic == null ? -1 : rs.getInt("source_partition");
        long offset = topic == null ? -1 : rs.getLong("source_offset");
        return new DeadLetter(rs.getString("consumer"), rs.getString("worker_id"), rs.getString("reason"), topic,
                partition, offset, Rows.uuid(rs, "tenant_id"), Rows.uuid(rs, "job_id"), Rows.uuid(rs, "scan_id"),
                Rows.uuid(rs, "task_id"), rs.getString("payload"), Rows.instant(rs, "failed_at"));
    }
}
