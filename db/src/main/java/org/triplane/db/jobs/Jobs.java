package org.triplane.db.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.Rows;

/** Submitting jobs, reading them and moving jobs and job scans through their state machines. */
public final class Jobs {

    private Jobs() {
    }

    /**
     * Records a job and its scans, or returns the job first submitted under the same idempotency
     * key by the same tenant. Safe against concurrent duplicates.
     *
     * @param c transaction acting for {@code request.tenantId()}
     * @param r the job
     * @return the job and whether this call created it
     * @throws IdempotencyConflictException when the key was used for a different request
     * @throws SQLException                 on database errors, e.g. a scan of another tenant
     */
    public static Submission submit(Connection c, JobRequest r) throws SQLException {
        Job created = insertUnlessKeyExists(c, r);
        if (created != null) {
            insertJobScans(c, created, r.scanIds());
            TransitionLog.append(c, created.tenantId(), EntityType.JOB, created.id(), null, JobState.SUBMITTED,
                    r.requestedBy(), null, r.modelSetDefault()
                            ? "submitted without a model set: runs the default model set " + r.modelSetId()
                            : "submitted");
            return new Submission(created, true);
        }
        // why: ON CONFLICT waited for any concurrent insert of the same key to commit, so the
        // first job is visible to this statement even when both submissions raced
        Job existing = findByKey(c, r.tenantId(), r.idempotencyKey())
                .orElseThrow(() -> new IllegalStateException("idempotency key " + r.idempotencyKey()
                        + " is taken but its job is not visible to this transaction"));
        requireSameRequest(c, existing, r);
        return new Submission(existing, false);
    }

    private static Job insertUnlessKeyExists(Connection c, JobRequest r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO jobs (tenant_id, kind, requested_by, idempotency_key, parameters, model_set_id, code_version,
                                  model_set_default)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                RETURNING *""")) {
            Rows.setUuid(ps, 1, r.tenantId());
            Rows.setEnum(ps, 2, r.kind());
            ps.setString(3, r.requestedBy());
            ps.setString(4, r.idempotencyKey());
            ps.setString(5, r.parametersJson());
            Rows.setUuid(ps, 6, r.modelSetId());
            ps.setString(7, r.codeVersion());
            ps.setBoolean(8, r.modelSetDefault());
            return Rows.single(ps, Jobs::map);
        }
    }

    private static void insertJobScans(Connection c, Job job, List<UUID> scanIds) throws SQLException {
        if (scanIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_scans (tenant_id, job_id, scan_id) SELECT ?, ?, unnest(?::uuid[])""")) {
            Rows.setUuid(ps, 1, job.tenantId());
            Rows.setUuid(ps, 2, job.id());
            Rows.setUuids(c, ps, 3, scanIds);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO state_transitions (tenant_id, entity_type, entity_id, from_state, to_state, actor, reason)
                SELECT tenant_id, 'JOB_SCAN', id, NULL, state, ?, 'submitted with job' FROM job_scans WHERE job_id = ?""")) {
            ps.setString(1, job.requestedBy());
            Rows.setUuid(ps, 2, job.id());
            ps.executeUpdate();
        }
    }

    private static void requireSameRequest(Connection c, Job existing, JobRequest r) throws SQLException {
        String key = r.idempotencyKey();
        if (existing.kind() != r.kind()) {
            throw new IdempotencyConflictException("idempotency key " + key + " was used for a " + existing.kind()
                    + " job, not " + r.kind());
        }
        // why: a retry that names no model set gets the job it first made, even if the default changed since;
        // a TRAIN job names none and records the set it produces once its training starts
        boolean bothDefault = existing.modelSetDefault() && r.modelSetDefault();
        boolean trainingOutput = r.kind() == JobKind.TRAIN && r.modelSetId() == null;
        if (!bothDefault && !trainingOutput && (existing.modelSetDefault() != r.modelSetDefault()
                || !Objects.equals(existing.modelSetId(), r.modelSetId()))) {
            throw new IdempotencyConflictException("idempotency key " + key + " was used with model set "
                    + existing.modelSetId());
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT parameters = ?::jsonb FROM jobs WHERE id = ?")) {
            ps.setString(1, r.parametersJson());
            Rows.setUuid(ps, 2, existing.id());
            if (!Boolean.TRUE.equals(Rows.single(ps, rs -> rs.getBoolean(1)))) {
                throw new IdempotencyConflictException("idempotency key " + key + " was used with other parameters");
            }
        }
        List<UUID> scans = scans(c, existing.id()).stream().map(JobScan::scanId).toList();
        if (!new HashSet<>(scans).equals(new HashSet<>(r.scanIds()))) {
            throw new IdempotencyConflictException("idempotency key " + key + " was used for other scans");
        }
    }

    /**
     * @param c  transaction
     * @param id job id
     * @return the job, or empty when absent or another tenant's
     * @throws SQLException on database errors
     */
    public static Optional<Job> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM jobs WHERE id = ?")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, Jobs::map));
        }
    }

    /**
     * Reads a job and locks its row ({@code SELECT ... FOR UPDATE}) until the transaction ends.
     * Use it where a decision depends on the job's other rows, e.g. "was this the job's last scan":
     * two transactions locking the same job run that decision one after the other, and the second
     * sees what the first committed.
     *
     * @param c  transaction
     * @param id job id
     * @return the job, or empty when absent or not visible
     * @throws SQLException on database errors, including a lock timeout the caller set
     */
    public static Optional<Job> lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM jobs WHERE id = ? FOR UPDATE")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, Jobs::map));
        }
    }

    static Optional<Job> findByKey(Connection c, UUID tenantId, String idempotencyKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM jobs WHERE tenant_id = ? AND idempotency_key = ?")) {
            Rows.setUuid(ps, 1, tenantId);
            ps.setString(2, idempotencyKey);
            return Optional.ofNullable(Rows.single(ps, Jobs::map));
        }
    }

    /**
     * @param c     transaction
     * @param limit most rows returned
     * @return the visible jobs, newest first
     * @throws SQLException on database errors
     */
    public static List<Job> list(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM jobs ORDER BY created_at DESC, id LIMIT ?")) {
            ps.setInt(1, limit);
            return Rows.list(ps, Jobs::map);
        }
    }

    /**
     * Jobs of the connection's tenant matching the filters, newest first (the audit view).
     *
     * @param c     transaction
     * @param state only jobs in this state, or {@code null}
     * @param from  only jobs created at or after this instant, or {@code null}
     * @param to    only jobs created before this instant, or {@code null}
     * @param limit most rows returned
     */
    public static List<Job> list(Connection c, JobState state, Instant from, Instant to, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM jobs
                 WHERE (?::text IS NULL OR state = ?::text)
                   AND (?::timestamptz IS NULL OR created_at >= ?::timestamptz)
                   AND (?::timestamptz IS NULL OR created_at < ?::timestamptz)
                 ORDER BY created_at DESC, id
                 LIMIT ?""")) {
            Rows.setEnum(ps, 1, state);
            Rows.setEnum(ps, 2, state);
            OffsetDateTime f = from == null ? null : from.atOffset(ZoneOffset.UTC);
            OffsetDateTime t = to == null ? null : to.atOffset(ZoneOffset.UTC);
            ps.setObject(3, f);
            ps.setObject(4, f);
            ps.setObject(5, t);
            ps.setObject(6, t);
            ps.setInt(7, limit);
            return Rows.list(ps, Jobs::map);
        }
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return its scans and their progress
     * @throws SQLException on database errors
     */
    public static List<JobScan> scans(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM job_scans WHERE job_id = ? ORDER BY scan_id")) {
            Rows.setUuid(ps, 1, jobId);
            return Rows.list(ps, Jobs::mapJobScan);
        }
    }

    /**
     * Moves a job to {@code to} if it is still in {@code job.state()} at {@code job.version()},
     * and logs the change. Entering RUNNING stamps started_at, a terminal state finished_at,
     * FAILED stores {@code reason} as the error.
     *
     * @param c      transaction
     * @param job    the job as last read
     * @param to     the new state
     * @param actor  who makes the change
     * @param reason why, may be {@code null} (required in practice for FAILED)
     * @return the updated job
     * @throws IllegalStateException  when the state machine forbids the change (nothing written)
     * @throws OptimisticLockException when the job changed since it was read
     * @throws SQLException            on database errors
     */
    public static Job transition(Connection c, Job job, JobState to, String actor, String reason) throws SQLException {
        job.state().requireMoveTo(to);
        Job updated;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE jobs
                   SET state = ?,
                       version = version + 1,
                       started_at = CASE WHEN ? THEN coalesce(started_at, now()) ELSE started_at END,
                       finished_at = CASE WHEN ? THEN now() ELSE finished_at END,
                       error = CASE WHEN ? THEN ? ELSE error END
                 WHERE id = ? AND state = ? AND version = ?
                RETURNING *""")) {
            Rows.setEnum(ps, 1, to);
            ps.setBoolean(2, to == JobState.RUNNING);
            ps.setBoolean(3, to.isTerminal());
            ps.setBoolean(4, to == JobState.FAILED);
            ps.setString(5, reason);
            Rows.setUuid(ps, 6, job.id());
            Rows.setEnum(ps, 7, job.state());
            ps.setLong(8, job.version());
            updated = Rows.single(ps, Jobs::map);
        }
        if (updated == null) {
            Job current = find(c, job.id()).orElseThrow(() -> new NoSuchElementException("job " + job.id() + " not found"));
            throw new OptimisticLockException("job " + job.id() + ": expected " + job.state() + " at version "
                    + job.version() + ", found " + current.state() + " at version " + current.version());
        }
        TransitionLog.append(c, job.tenantId(), EntityType.JOB, job.id(), job.state(), to, actor, null, reason);
        return updated;
    }

    /**
     * Names the model set a TRAIN job produces (or a segment job runs); bumps the job's version.
     *
     * @throws OptimisticLockException when the job changed since it was read
     */
    public static Job assignModelSet(Connection c, Job job, UUID modelSetId) throws SQLException {
        Job updated;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE jobs SET model_set_id = ?, version = version + 1
                 WHERE id = ? AND version = ?
                RETURNING *""")) {
            Rows.setUuid(ps, 1, modelSetId);
            Rows.setUuid(ps, 2, job.id());
            ps.setLong(3, job.version());
            updated = Rows.single(ps, Jobs::map);
        }
        if (updated == null) {
            throw new OptimisticLockException("job " + job.id() + ": changed since version " + job.version());
        }
        return updated;
    }

    /**
     * Moves one scan of a job, compare-and-set like {@link #transition}.
     *
     * @param c      transaction
     * @param js     the row as last read
     * @param to     the new state
     * @param actor  who makes the change
     * @param reason why, may be {@code null}
     * @return the updated row
     * @throws SQLException on database errors
     */
    public static JobScan transitionScan(Connection c, JobScan js, JobScanState to, String actor, String reason)
            throws SQLException {
        js.state().requireMoveTo(to);
        JobScan updated;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE job_scans
                   SET state = ?, version = version + 1, updated_at = now(),
                       error = CASE WHEN ? THEN ? ELSE error END
                 WHERE id = ? AND state = ? AND version = ?
                RETURNING *""")) {
            Rows.setEnum(ps, 1, to);
            ps.setBoolean(2, to == JobScanState.FAILED);
            ps.setString(3, reason);
            Rows.setUuid(ps, 4, js.id());
            Rows.setEnum(ps, 5, js.state());
            ps.setLong(6, js.version());
            updated = Rows.single(ps, Jobs::mapJobScan);
        }
        if (updated == null) {
            throw new OptimisticLockException("job scan " + js.id() + ": expected " + js.state() + " at version "
                    + js.version() + "; it changed or is not visible");
        }
        TransitionLog.append(c, js.tenantId(), EntityType.JOB_SCAN, js.id(), js.state(), to, actor, null, reason);
        return updated;
    }

    public static Job map(ResultSet rs) throws SQLException {
        return new Job(
                Rows.uuid(rs, "id"),
                Rows.uuid(rs, "tenant_id"),
                Rows.enumValue(rs, "kind", JobKind.class),
                Rows.enumValue(rs, "state", JobState.class),
                rs.getString("requested_by"),
                rs.getString("idempotency_key"),
                rs.getString("parameters"),
                Rows.uuid(rs, "model_set_id"),
                rs.getString("code_version"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"),
                rs.getString("error"),
                rs.getLong("version"),
                rs.getBoolean("model_set_default"));
    }

    private static JobScan mapJobScan(ResultSet rs) throws SQLException {
        return new JobScan(
                Rows.uuid(rs, "id"),
                Rows.uuid(rs, "tenant_id"),
                Rows.uuid(rs, "job_id"),
                Rows.uuid(rs, "scan_id"),
                Rows.enumValue(rs, "state", JobScanState.class),
                rs.getString("error"),
                rs.getLong("version"),
                Rows.instant(rs, "updated_at"));
    }
}
