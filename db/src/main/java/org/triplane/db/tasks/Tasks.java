package org.triplane.db.tasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.Rows;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.imaging.plane.Plane;

/**
 * Tasks: idempotent creation, leasing ({@code FOR UPDATE SKIP LOCKED}), heartbeats and
 * compare-and-set transitions.
 */
public final class Tasks {

    private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    private Tasks() {
    }

    /**
     * Creates a PENDING task, or returns the existing one for the same (job, scan, kind, plane, fold),
     * so that redelivered events create no duplicates.
     *
     * @param c     transaction
     * @param t     the task
     * @param actor who creates it
     * @return the task
     * @throws SQLException on database errors
     */
    public static Task create(Connection c, NewTask t, String actor) throws SQLException {
        Task inserted;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tasks (tenant_id, job_id, scan_id, kind, plane, max_attempts, fold)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (job_id, coalesce(scan_id, '%s'::uuid), kind, coalesce(plane, ''), coalesce(fold, 0))
                DO NOTHING
                RETURNING *""".formatted(NIL_UUID))) {
            Rows.setUuid(ps, 1, t.tenantId());
            Rows.setUuid(ps, 2, t.jobId());
            Rows.setUuid(ps, 3, t.scanId());
            Rows.setEnum(ps, 4, t.kind());
            Rows.setEnum(ps, 5, t.plane());
            ps.setInt(6, t.maxAttempts());
            Rows.setInteger(ps, 7, t.fold());
            inserted = Rows.single(ps, Tasks::map);
        }
        if (inserted != null) {
            TransitionLog.append(c, inserted.tenantId(), EntityType.TASK, inserted.id(), null, TaskState.PENDING,
                    actor, inserted.attempt(), "created");
            return inserted;
        }
        // why: redelivered events create the same task again; the first one stands
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM tasks
                 WHERE job_id = ? AND coalesce(scan_id, '%s'::uuid) = coalesce(?::uuid, '%s'::uuid)
                   AND kind = ? AND coalesce(plane, '') = coalesce(?, '')
                   AND coalesce(fold, 0) = coalesce(?::integer, 0)""".formatted(NIL_UUID, NIL_UUID))) {
            Rows.setUuid(ps, 1, t.jobId());
            Rows.setUuid(ps, 2, t.scanId());
            Rows.setEnum(ps, 3, t.kind());
            Rows.setEnum(ps, 4, t.plane());
            Rows.setInteger(ps, 5, t.fold());
            return Rows.single(ps, Tasks::map);
        }
    }

    /**
     * @param c  transaction
     * @param id task id
     * @return the task, or empty when absent or not visible
     * @throws SQLException on database errors
     */
    public static Optional<Task> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks WHERE id = ?")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, Tasks::map));
        }
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return its tasks, oldest first
     * @throws SQLException on database errors
     */
    public static List<Task> forJob(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks WHERE job_id = ? ORDER BY created_at, id")) {
            Rows.setUuid(ps, 1, jobId);
            return Rows.list(ps, Tasks::map);
        }
    }

    /**
     * Leases the oldest PENDING task of any kind. Concurrent claimers never get the same task.
     *
     * @param c            transaction (role {@link Roles#WORKER} to see every tenant's queue)
     * @param worker       the claiming worker's identity
     * @param leaseSeconds lease length, seconds; heartbeat well within it
     * @return the claimed task, RUNNING, or empty when none is pending
     * @throws SQLException on database errors
     */
    public static Optional<Task> claim(Connection c, String worker, int leaseSeconds) throws SQLException {
        return claim(c, worker, leaseSeconds, EnumSet.allOf(TaskKind.class));
    }

    /**
     * Leases the oldest PENDING task of the given kinds.
     *
     * @param c            transaction
     * @param worker       the claiming worker's identity
     * @param leaseSeconds lease length, seconds
     * @param kinds        kinds this worker handles
     * @return the claimed task, or empty when none is pending
     * @throws SQLException on database errors
     */
    public static Optional<Task> claim(Connection c, String worker, int leaseSeconds, Set<TaskKind> kinds)
            throws SQLException {
        requireLease(worker, leaseSeconds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds: at least one task kind");
        }
        Task claimed;
        // why SKIP LOCKED: concurrent claimers each lock a different PENDING row instead of queueing
        // on the same one; a row claimed meanwhile fails the re-checked state = 'PENDING'
        try (PreparedStatement ps = c.prepareStatement("""
                WITH next AS (
                    SELECT id FROM tasks
                     WHERE state = 'PENDING' AND kind = ANY (?::text[])
                     ORDER BY created_at, id
                     LIMIT 1
                       FOR UPDATE SKIP LOCKED)
                UPDATE tasks t
                   SET state = 'RUNNING', worker = ?, lease_until = now() + ? * interval '1 second',
                       heartbeat_at = now(), started_at = now(), version = t.version + 1
                  FROM next
                 WHERE t.id = next.id
                RETURNING t.*""")) {
            Rows.setTexts(c, ps, 1, kinds.stream().map(Enum::name).toList());
            ps.setString(2, worker);
            ps.setInt(3, leaseSeconds);
            claimed = Rows.single(ps, Tasks::map);
        }
        return logClaim(c, claimed);
    }

    /**
     * Leases one named task, as a worker does when an event names it; a redelivered event finds it
     * no longer PENDING and gets nothing.
     *
     * @param c            transaction
     * @param taskId       the task
     * @param worker       the claiming worker's identity
     * @param leaseSeconds lease length, seconds
     * @return the claimed task, or empty when it is not PENDING
     * @throws SQLException on database errors
     */
    public static Optional<Task> claim(Connection c, UUID taskId, String worker, int leaseSeconds) throws SQLException {
        requireLease(worker, leaseSeconds);
        Task claimed;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tasks
                   SET state = 'RUNNING', worker = ?, lease_until = now() + ? * interval '1 second',
                       heartbeat_at = now(), started_at = now(), version = version + 1
                 WHERE id = ? AND state = 'PENDING'
                RETURNING *""")) {
            ps.setString(1, worker);
            ps.setInt(2, leaseSeconds);
            Rows.setUuid(ps, 3, taskId);
            claimed = Rows.single(ps, Tasks::map);
        }
        return logClaim(c, claimed);
    }

    private static Optional<Task> logClaim(Connection c, Task claimed) throws SQLException {
        if (claimed != null) {
            TransitionLog.append(c, claimed.tenantId(), EntityType.TASK, claimed.id(), TaskState.PENDING,
                    TaskState.RUNNING, claimed.worker(), claimed.attempt(), "claimed");
        }
        return Optional.ofNullable(claimed);
    }

    /**
     * Extends the lease of a task the caller still holds.
     *
     * @param c            transaction
     * @param task         the task as claimed (or last updated) by this worker
     * @param leaseSeconds new lease length from now, seconds
     * @return {@code false} when the lease was lost (reclaimed, finished, changed): stop working on it
     * @throws SQLException on database errors
     */
    public static boolean heartbeat(Connection c, Task task, int leaseSeconds) throws SQLException {
        requireLease(task.worker(), leaseSeconds);
        // why no version bump: a heartbeat is not a state change, and the worker's Task must stay
        // valid for its final compare-and-set
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tasks SET heartbeat_at = now(), lease_until = now() + ? * interval '1 second'
                 WHERE id = ? AND state = 'RUNNING' AND worker = ? AND version = ?""")) {
            ps.setInt(1, leaseSeconds);
            Rows.setUuid(ps, 2, task.id());
            ps.setString(3, task.worker());
            ps.setLong(4, task.version());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records where a RUNNING task ran and how long its phases took.
     *
     * @param c           transaction
     * @param task        the task as last read
     * @param device      e.g. {@code cpu} or {@code cuda:0}
     * @param timingsJson JSON object of phase → seconds, or {@code null} to keep the current one
     * @return the updated task (use it for the final transition)
     * @throws OptimisticLockException when the task changed since it was read
     * @throws SQLException            on database errors
     */
    public static Task recordRun(Connection c, Task task, String device, String timingsJson) throws SQLException {
        Task updated;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tasks SET device = ?, timings = coalesce(?::jsonb, timings), version = version + 1
                 WHERE id = ? AND state = 'RUNNING' AND version = ?
                RETURNING *""")) {
            ps.setString(1, device);
            ps.setString(2, timingsJson);
            Rows.setUuid(ps, 3, task.id());
            ps.setLong(4, task.version());
            updated = Rows.single(ps, Tasks::map);
        }
        if (updated == null) {
            throw conflict(c, task);
        }
        return updated;
    }

    /**
     * Moves a task, compare-and-set on state and version, and logs the change. RUNNING → PENDING
     * requeues it with the next attempt number. A task becomes RUNNING only through
     * {@link #claim}.
     *
     * @param c      transaction
     * @param task   the task as last read
     * @param to     the new state
     * @param actor  who makes the change
     * @param reason why; stored as the error for FAILED
     * @return the updated task
     * @throws IllegalStateException   when the state machine forbids the change (nothing written)
     * @throws OptimisticLockException when the task changed since it was read
     * @throws SQLException            on database errors
     */
    public static Task transition(Connection c, Task task, TaskState to, String actor, String reason) throws SQLException {
        task.state().requireMoveTo(to);
        if (to == TaskState.RUNNING) {
            throw new IllegalArgumentException("to: a task becomes RUNNING only by being claimed, with a worker and a lease");
        }
        boolean requeue = task.state() == TaskState.RUNNING && to == TaskState.PENDING;
        if (requeue && task.attempt() >= task.maxAttempts()) {
            throw new IllegalStateException("task " + task.id() + " used all " + task.maxAttempts()
                    + " attempts; fail it instead of requeueing");
        }
        Task updated;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE tasks
                   SET state = ?, version = version + 1, attempt = attempt + ?, lease_until = NULL,
                       started_at = CASE WHEN ? THEN NULL ELSE started_at END,
                       finished_at = CASE WHEN ? THEN now() ELSE NULL END,
                       error = ?
                 WHERE id = ? AND state = ? AND version = ?
                RETURNING *""")) {
            Rows.setEnum(ps, 1, to);
            ps.setInt(2, requeue ? 1 : 0);
            ps.setBoolean(3, requeue);
            ps.setBoolean(4, to.isTerminal());
            ps.setString(5, to == TaskState.FAILED ? reason : null);
            Rows.setUuid(ps, 6, task.id());
            Rows.setEnum(ps, 7, task.state());
            ps.setLong(8, task.version());
            updated = Rows.single(ps, Tasks::map);
        }
        if (updated == null) {
            throw conflict(c, task);
        }
        TransitionLog.append(c, task.tenantId(), EntityType.TASK, task.id(), task.state(), to, actor, task.attempt(),
                reason);
        return updated;
    }

    /** Selects and locks RUNNING tasks whose lease has expired, skipping rows another sweeper holds. */
    static List<Task> lockExpired(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT * FROM tasks
                 WHERE state = 'RUNNING' AND lease_until < now()
                 ORDER BY lease_until
                 LIMIT ?
                   FOR UPDATE SKIP LOCKED""")) {
            ps.setInt(1, limit);
            return Rows.list(ps, Tasks::map);
        }
    }

    private static RuntimeException conflict(Connection c, Task task) throws SQLException {
        Task current = find(c, task.id()).orElseThrow(() -> new NoSuchElementException("task " + task.id() + " not found"));
        return new OptimisticLockException("task " + task.id() + ": expected " + task.state() + " at version "
                + task.version() + ", found " + current.state() + " at version " + current.version()
                + " (worker " + current.worker() + ", attempt " + current.attempt() + ")");
    }

    private static void requireLease(String worker, int leaseSeconds) {
        if (worker == null || worker.isBlank()) {
            throw new IllegalArgumentException("worker: required");
        }
        if (leaseSeconds <= 0) {
            throw new IllegalArgumentException("leaseSeconds: must be positive, got " + leaseSeconds);
        }
    }

    private static Task map(ResultSet rs) throws SQLException {
        return new Task(
                Rows.uuid(rs, "id"),
                Rows.uuid(rs, "tenant_id"),
                Rows.uuid(rs, "job_id"),
                Rows.uuid(rs, "scan_id"),
                Rows.enumValue(rs, "kind", TaskKind.class),
                Rows.enumValue(rs, "plane", Plane.class),
                Rows.nullableInt(rs, "fold"),
                Rows.enumValue(rs, "state", TaskState.class),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("worker"),
                Rows.instant(rs, "lease_until"),
                Rows.instant(rs, "heartbeat_at"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"),
                rs.getString("error"),
                rs.getString("device"),
                rs.getString("timings"),
                rs.getLong("version"));
    }
}
