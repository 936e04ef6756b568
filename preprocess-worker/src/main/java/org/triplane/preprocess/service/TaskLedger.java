package org.triplane.preprocess.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Database;
import org.triplane.db.Job;
import org.triplane.db.JobKind;
import org.triplane.db.JobRequest;
import org.triplane.db.JobScan;
import org.triplane.db.NewScan;
import org.triplane.db.JobScanState;
import org.triplane.db.JobState;
import org.triplane.db.JobStore;
import org.triplane.db.NewTask;
import org.triplane.db.OutboxMessage;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.ReclaimedTask;
import org.triplane.db.Scan;
import org.triplane.db.ScanGeometry;
import org.triplane.db.HuWindow;
import org.triplane.db.Task;
import org.triplane.db.TaskKind;
import org.triplane.db.TaskState;
import org.triplane.db.Tx;
import org.triplane.events.ObjectKeys;
import org.triplane.events.Plane;
import org.triplane.events.PlaneTask;
import org.triplane.events.Topics;
import org.triplane.messaging.EventCodec;

/**
 * Every database step of the worker, each one transaction as {@code triplane_worker}: accepting
 * an event (processed-event mark + preprocess task), claiming, heartbeating, completing (plane
 * tasks + outbox + SUCCEEDED together), failing and sweeping expired leases.
 */
@ApplicationScoped
public class TaskLedger {
    private final Tx tx;
    private final JobStore store = new JobStore();
    private final EventCodec codec = new EventCodec();

    public TaskLedger(AgroalDataSource dataSource) {
        this.tx = Database.of(dataSource).tx();
    }

    /**
     * Records that {@code consumer} saw {@code eventId} and makes sure the scan's preprocess task
     * exists; also moves the job and the job's scan to RUNNING.
     *
     * @param ctSha256 the CT checksum the event announces; must be the scan record's
     * @return the task, or empty when the event was already accepted (a redelivery)
     */
    public Optional<Task> accept(String consumer, String eventId, UUID jobId, UUID scanId, String ctSha256, String actor) {
        return retryOnConflict(() -> tx.run(c -> {
            if (!store.markProcessed(c, consumer, eventId)) {
                return Optional.<Task>empty();
            }
            Scan scan = store.findScan(c, scanId)
                    .orElseThrow(() -> new PoisonInputException("scan " + scanId + " does not exist"));
            if (!scan.ct().sha256().equals(ctSha256)) {
                throw new PoisonInputException("the scan event announces CT SHA-256 " + ctSha256
                        + " but the scan record says " + scan.ct().sha256() + "; the event does not describe this scan");
            }
            Job job = store.findJob(c, jobId)
                    .orElseThrow(() -> new PoisonInputException("job " + jobId + " does not exist"));
            if (job.state().successors().isEmpty()) {
                return Optional.<Task>empty();
            }
            JobScan js = store.jobScans(c, jobId).stream().filter(s -> s.scanId().equals(scanId)).findFirst()
                    .orElseThrow(() -> new PoisonInputException("scan " + scanId + " is not part of job " + jobId));
            Task task = store.createTask(c, NewTask.forScan(job, scanId, TaskKind.PREPROCESS), actor);
            if (job.state() == JobState.SUBMITTED) {
                store.transitionJob(c, job, JobState.RUNNING, actor, "preprocessing started");
            }
            if (js.state() == JobScanState.PENDING) {
                store.transitionJobScan(c, js, JobScanState.RUNNING, actor, "preprocessing started");
            }
            return Optional.of(task);
        }));
    }

    /**
     * Records a scan dropped into the bucket, a SEGMENT job for it and its preprocess task, once:
     * a second notification of the same drop ({@code eventId}) registers nothing.
     *
     * @return the new task, or empty for a repeated notification
     */
    public Optional<Task> registerDrop(String consumer, String eventId, NewScan scan, String codeVersion, String actor) {
        return tx.inTenant(scan.tenantId(), c -> {
            if (!tenantExists(c, scan.tenantId())) {
                throw new PoisonInputException("tenant " + scan.tenantId() + " does not exist");
            }
            if (!store.markProcessed(c, consumer, eventId)) {
                return Optional.<Task>empty();
            }
            Scan stored = store.insertScan(c, scan);
            Job job = store.submitJob(c, JobRequest.builder().setTenantId(scan.tenantId()).setKind(JobKind.SEGMENT)
                    .setRequestedBy(actor).setIdempotencyKey(eventId).setCodeVersion(codeVersion)
                    .setScanIds(List.of(stored.id())).build()).job();
            Task task = store.createTask(c, NewTask.forScan(job, stored.id(), TaskKind.PREPROCESS), actor);
            store.transitionJob(c, job, JobState.RUNNING, actor, "preprocessing started (scan dropped into the bucket)");
            for (JobScan js : store.jobScans(c, job.id())) {
                store.transitionJobScan(c, js, JobScanState.RUNNING, actor, "preprocessing started");
            }
            return Optional.of(task);
        });
    }

    /** Leases the named task; empty when it is not PENDING (done, failed or held by another worker). */
    public Optional<Task> claim(UUID taskId, String worker, int leaseSeconds) {
        return tx.run(c -> store.claimTask(c, taskId, worker, leaseSeconds));
    }

    /** Leases the oldest PENDING preprocess task of any tenant (requeued by the sweeper, or never claimed). */
    public Optional<Task> claimNext(String worker, int leaseSeconds) {
        return tx.run(c -> store.claimTask(c, worker, leaseSeconds, EnumSet.of(TaskKind.PREPROCESS)));
    }

    /** @return {@code false} once the lease is lost */
    public boolean heartbeat(Task task, int leaseSeconds) {
        return tx.run(c -> store.heartbeat(c, task, leaseSeconds));
    }

    /** @return the scan a task works on */
    public Scan scanOf(Task task) {
        return tx.run(c -> store.findScan(c, task.scanId()))
                .orElseThrow(() -> new PoisonInputException("scan " + task.scanId() + " does not exist"));
    }

    /**
     * In one transaction: the three plane tasks, their three {@link PlaneTask} events in the
     * outbox (key {@code scan:plane}), the timings and SUCCEEDED on the preprocess task. A worker
     * whose lease was reclaimed meanwhile fails the compare-and-set and nothing is written.
     *
     * @param volumeKey object key of the windowed volume
     * @param grid      its grid (LPS mm, x fastest)
     * @param window    the HU window its bytes encode
     * @return the plane task events written
     */
    public List<PlaneTask> complete(Task task, String volumeKey, ScanGeometry grid, HuWindow window, Timings timings) {
        return tx.run(c -> {
            Job job = store.findJob(c, task.jobId()).orElseThrow();
            List<PlaneTask> events = new ArrayList<>();
            for (Plane plane : Plane.values()) {
                Task planeTask = store.createTask(c,
                        NewTask.forPlane(job, task.scanId(), org.triplane.db.Plane.valueOf(plane.name())), task.worker());
                events.add(appendPlaneTask(c, planeTask, volumeKey, grid, window));
            }
            Task recorded = store.recordTaskRun(c, task, "cpu", timings.toJson());
            store.transitionTask(c, recorded, TaskState.SUCCEEDED, task.worker(),
                    "windowed volume stored at " + volumeKey);
            return events;
        });
    }

    private PlaneTask appendPlaneTask(Connection c, Task planeTask, String volumeKey, ScanGeometry grid, HuWindow window)
            throws SQLException {
        PlaneTask event = new PlaneTask(PlaneTask.VERSION, UUID.randomUUID(), planeTask.tenantId(), planeTask.jobId(),
                planeTask.scanId(), planeTask.id(), Plane.valueOf(planeTask.plane().name()), volumeKey,
                grid.dims().stream().mapToInt(Integer::intValue).toArray(), doubles(grid.spacingMm()),
                doubles(grid.originMm()), doubles(grid.direction()), window.lowHu(), window.highHu(), Instant.now());
        store.appendOutbox(c, new OutboxMessage("job:" + planeTask.jobId(), Topics.PLANE_TASKS, event.key(),
                codec.encode(event)));
        return event;
    }

    private static double[] doubles(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Fails the task, the job's scan and the job with {@code reason} (poison input). */
    public void fail(Task task, String reason) {
        retryOnConflict(() -> tx.run(c -> {
            Task current = store.findTask(c, task.id()).orElseThrow();
            if (current.state() == TaskState.RUNNING || current.state() == TaskState.PENDING) {
                store.transitionTask(c, current, TaskState.FAILED, task.worker(), reason);
            }
            failJob(c, task.jobId(), task.scanId(), reason, task.worker());
            return null;
        }));
    }

    /** Fails the job and its scan when an event is refused before any task exists. */
    public void failJob(UUID jobId, UUID scanId, String reason, String actor) {
        retryOnConflict(() -> tx.run(c -> {
            failJob(c, jobId, scanId, reason, actor);
            return null;
        }));
    }

    /** Gives a task back to the queue after transient failures outlasted the retries. */
    public void handBack(Task task, String reason) {
        tx.run(c -> {
            Task current = store.findTask(c, task.id()).orElseThrow();
            if (current.state() == TaskState.RUNNING && current.version() == task.version()
                    && current.attempt() < current.maxAttempts()) {
                store.transitionTask(c, current, TaskState.PENDING, task.worker(), reason);
            }
            return null;
        });
    }

    /**
     * The sweeper: expired leases of any kind go back to PENDING, or FAILED after the last
     * attempt. In the same transaction, as {@link JobStore#reclaimExpiredLeases} asks, the
     * outcome is published: a requeued plane task gets its {@link PlaneTask} event again (the
     * gpu-workers are event-driven), a preprocess or plane task that failed for good fails its
     * job. Requeued preprocess tasks need nothing: the sweepers claim PENDING ones themselves.
     */
    public List<ReclaimedTask> sweep(String actor, int limit) {
        return tx.run(c -> {
            List<ReclaimedTask> reclaimed = store.reclaimExpiredLeases(c, actor, limit);
            for (ReclaimedTask r : reclaimed) {
                Task t = r.task();
                boolean ours = t.kind() == TaskKind.PREPROCESS || t.kind() == TaskKind.PLANE;
                if (!r.requeued() && ours) {
                    failJob(c, t.jobId(), t.scanId(), t.error(), actor);
                } else if (r.requeued() && t.kind() == TaskKind.PLANE) {
                    Scan scan = store.findScan(c, t.scanId()).orElseThrow();
                    appendPlaneTask(c, t, ObjectKeys.preprocessed(t.tenantId(), t.scanId()), scan.geometry(), scan.window());
                }
            }
            return reclaimed;
        });
    }

    private void failJob(Connection c, UUID jobId, UUID scanId, String reason, String actor) throws SQLException {
        Optional<JobScan> js = store.jobScans(c, jobId).stream().filter(s -> s.scanId().equals(scanId)).findFirst();
        if (js.isPresent() && !js.get().state().successors().isEmpty()) {
            store.transitionJobScan(c, js.get(), JobScanState.FAILED, actor, reason);
        }
        Optional<Job> job = store.findJob(c, jobId);
        if (job.isPresent() && !job.get().state().successors().isEmpty()) {
            store.transitionJob(c, job.get(), JobState.FAILED, actor, "scan " + scanId + ": " + reason);
        }
    }

    private static boolean tenantExists(Connection c, UUID tenantId) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tenants WHERE id = ?")) {
            ps.setObject(1, tenantId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** @return whether the database answers (readiness) */
    public boolean reachable() {
        try {
            return tx.run(c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.setQueryTimeout(3);
                    return st.execute("SELECT 1");
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static <T> T retryOnConflict(java.util.function.Supplier<T> work) {
        // why: scans of one job are processed in parallel and all move the same job row
        for (int i = 0; ; i++) {
            try {
                return work.get();
            } catch (OptimisticLockException e) {
                if (i >= 5) {
                    throw e;
                }
            }
        }
    }
}
