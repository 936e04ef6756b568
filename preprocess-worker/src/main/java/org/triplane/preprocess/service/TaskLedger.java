package org.triplane.preprocess.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Tx;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.outbox.ProcessedEvents;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.ScanTransform;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.worker.pipeline.Announcements;
import org.triplane.worker.pipeline.JobFlow;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.TaskLifecycle;

/**
 * Every database step of the worker, each one transaction as {@code triplane_worker}: accepting
 * an event (processed-event mark + preprocess task), registering a dropped scan, claiming the next
 * pending preprocess task and completing one (plane tasks, or for a TRAIN job its training start,
 * + outbox + SUCCEEDED together). Claim, heartbeat, hand back and fail are the worker kit's
 * ({@link TaskLifecycle}, {@link org.triplane.worker.run.TaskGuard}), as is the expired-lease sweep.
 */
@ApplicationScoped
public class TaskLedger {
    private final Tx tx;
    private final JobFlow flow = new JobFlow();

    /** @param tx transactions as {@code triplane_worker} (the worker kit's) */
    public TaskLedger(Tx tx) {
        this.tx = tx;
    }

    /**
     * Records that {@code consumer} saw {@code eventId} and makes sure the scan's preprocess task
     * exists; also moves the job and the job's scan to RUNNING.
     *
     * @param ctSha256 the CT checksum the event announces; must be the scan record's
     * @return the task, or empty when the event was already accepted (a redelivery)
     */
    public Optional<Task> accept(String consumer, String eventId, UUID jobId, UUID scanId, String ctSha256, String actor) {
        return TaskLifecycle.retryOnConflict(() -> tx.run(c -> {
            if (!ProcessedEvents.markProcessed(c, consumer, eventId)) {
                return Optional.<Task>empty();
            }
            Scan scan = Scans.find(c, scanId)
                    .orElseThrow(() -> new PoisonInputException("scan " + scanId + " does not exist"));
            if (!scan.ct().sha256().equals(ctSha256)) {
                throw new PoisonInputException("the scan event announces CT SHA-256 " + ctSha256
                        + " but the scan record says " + scan.ct().sha256() + "; the event does not describe this scan");
            }
            Job job = Jobs.find(c, jobId)
                    .orElseThrow(() -> new PoisonInputException("job " + jobId + " does not exist"));
            if (job.state().successors().isEmpty()) {
                return Optional.<Task>empty();
            }
            if (job.kind() == JobKind.TRAIN && scan.labels() == null) {
                throw new PoisonInputException("scan " + scanId + " has no label volume; a TRAIN job trains on labelled scans only");
            }
            JobScan js = Jobs.scans(c, jobId).stream().filter(s -> s.scanId().equals(scanId)).findFirst()
                    .orElseThrow(() -> new PoisonInputException("scan " + scanId + " is not part of job " + jobId));
            return Optional.of(flow.scanAccepted(c, job, js, actor));
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
            if (!ProcessedEvents.markProcessed(c, consumer, eventId)) {
                return Optional.<Task>empty();
            }
            Scan stored = Scans.insert(c, scan);
            Job job = Jobs.submit(c, JobRequest.builder().setTenantId(scan.tenantId()).setKind(JobKind.SEGMENT)
                    .setRequestedBy(actor).setIdempotencyKey(eventId).setCodeVersion(codeVersion)
                    .setScanIds(List.of(stored.id())).build()).job();
            JobScan js = Jobs.scans(c, job.id()).get(0);
            return Optional.of(flow.scanAccepted(c, job, js, actor));
        });
    }

    /** Leases the oldest PENDING preprocess task of any tenant (requeued by the sweeper, or never claimed). */
    public Optional<Task> claimNext(String worker, int leaseSeconds) {
        return tx.run(c -> Tasks.claim(c, worker, leaseSeconds, EnumSet.of(TaskKind.PREPROCESS)));
    }

    /** @return whether the task's job predicts labels (SEGMENT, EVALUATE), so needs the atlas method and the masks */
    public boolean predicts(Task task) {
        Job job = tx.run(c -> Jobs.find(c, task.jobId()))
                .orElseThrow(() -> new PoisonInputException("job " + task.jobId() + " does not exist"));
        return job.kind() != JobKind.TRAIN;
    }

    /** @return the scan a task works on */
    public Scan scanOf(Task task) {
        return tx.run(c -> Scans.find(c, task.scanId()))
                .orElseThrow(() -> new PoisonInputException("scan " + task.scanId() + " does not exist"));
    }

    /**
     * In one transaction: the timings and SUCCEEDED on the preprocess task, and what the job needs
     * next ({@link JobFlow#preprocessed}: a SEGMENT or EVALUATE job's plane tasks, a TRAIN job's
     * progress towards its training). A worker whose lease was reclaimed meanwhile fails the compare-and-set and nothing is written.
     *
     * @param volumeKey object key of the windowed volume
     * @param grid      its grid (LPS mm, x fastest)
     * @param window    the HU window its bytes encode
     * @param derived   the transform derived for a scan uploaded without one (object and values), or
     *                  {@code null} when the scan's own transform was used
     * @param atlas     the scan's atlas registration (replaces an earlier one)
     * @return the events written
     */
    public Announcements complete(Task task, String volumeKey, ScanGeometry grid, HuWindow window, Timings timings,
                                  DerivedTransform derived, ScanRegistration atlas) {
        return tx.run(c -> {
            Job job = Jobs.find(c, task.jobId()).orElseThrow();
            if (derived != null) {
                Scans.recordDerivedTransform(c, task.scanId(), derived.file(), derived.values());
            }
            ScanRegistrations.upsert(c, atlas);
            Announcements out = flow.preprocessed(c, job, task, new JobFlow.PreprocessedScan(volumeKey, grid, window, atlas));
            Task recorded = Tasks.recordRun(c, task, "cpu", timings.toJson());
            Tasks.transition(c, recorded, TaskState.SUCCEEDED, task.worker(),
                    "windowed volume stored at " + volumeKey + "; " + alignment(derived, atlas));
            return out;
        });
    }

    /** The transform's origin and the registration's method and quality, for the transition log. */
    static String alignment(DerivedTransform derived, ScanRegistration atlas) {
        return String.format(java.util.Locale.ROOT, "transform %s; atlas registration %s, quality (NCC) %.3f",
                derived != null ? "derived from the atlas registration (" + derived.file().key() + ")" : "of the scan record",
                atlas.method(), atlas.quality());
    }

    /**
     * A transform the worker derived for a scan, as the scan record names it.
     *
     * @param file   the ITK transform file in the object store (deterministic key, SHA-256, size)
     * @param values its parameters, centre and Euler angles
     */
    public record DerivedTransform(StoredObject file, ScanTransform values) {
    }

    private static boolean tenantExists(Connection c, UUID tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tenants WHERE id = ?")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
