package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.EntityType;
import org.triplane.db.Job;
import org.triplane.db.JobKind;
import org.triplane.db.JobRequest;
import org.triplane.db.JobScan;
import org.triplane.db.JobState;
import org.triplane.db.Scan;
import org.triplane.db.StateTransition;
import org.triplane.db.Submission;
import org.triplane.db.Task;
import org.triplane.events.ScanEvent;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.messaging.OutboxMessages;

/**
 * Job submission and the audit reads. A SEGMENT or EVALUATE job appends one {@link ScanEvent} per
 * scan to the outbox in the transaction that records the job, so the events exist exactly when the
 * job does; a repeated submission (same idempotency key) returns the first job and appends nothing.
 */
@ApplicationScoped
public class JobService {

    /** Most jobs one list call returns. */
    public static final int MAX_LIST = 1000;

    private final Databases db;
    private final OutboxMessages outbox;
    private final String codeVersion;

    @Inject
    public JobService(Databases db, OutboxMessages outbox, GatewayConfig config) {
        this.db = db;
        this.outbox = outbox;
        this.codeVersion = config.codeVersion();
    }

    /**
     * @param tenantId       the submitting tenant
     * @param requestedBy    who submits
     * @param idempotencyKey the client's key
     * @param kind           what to run
     * @param scanIds        the scans, each the tenant's own
     * @param parametersJson options, a JSON object
     * @return the job and whether this call created it
     * @throws RequestRejected 404 for an unknown scan, 400 for an invalid request
     * @throws org.triplane.db.IdempotencyConflictException when the key was used for another request
     */
    public Submission submit(UUID tenantId, String requestedBy, String idempotencyKey, JobKind kind, List<UUID> scanIds,
                             String parametersJson) {
        JobRequest request;
        try {
            request = JobRequest.builder().setTenantId(tenantId).setKind(kind).setRequestedBy(requestedBy)
                    .setIdempotencyKey(idempotencyKey).setCodeVersion(codeVersion).setScanIds(scanIds)
                    .optParametersJson(parametersJson).build();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            String field = msg.contains(":") ? msg.substring(0, msg.indexOf(':')) : "request";
            throw RequestRejected.badRequest("idempotencyKey".equals(field) ? "Idempotency-Key" : field, msg);
        }
        return db.app().inTenant(tenantId, c -> {
            List<Scan> scans = new ArrayList<>();
            for (UUID id : scanIds) {
                scans.add(db.store().findScan(c, id)
                        .orElseThrow(() -> RequestRejected.notFound("scanIds", "scan " + id + " not found")));
            }
            Submission s = db.store().submitJob(c, request);
            if (s.created() && (kind == JobKind.SEGMENT || kind == JobKind.EVALUATE)) {
                appendScanEvents(c, s.job(), scans);
            }
            return s;
        });
    }

    private void appendScanEvents(Connection c, Job job, List<Scan> scans) throws SQLException {
        Instant now = Instant.now();
        for (Scan scan : scans) {
            ScanEvent e = new ScanEvent(ScanEvent.VERSION, UUID.randomUUID(), job.tenantId(), job.id(), scan.id(),
                    scan.ct().key(), scan.transformFile() == null ? null : scan.transformFile().key(),
                    scan.labels() == null ? null : scan.labels().key(), scan.ct().sha256(), now);
            db.store().appendOutbox(c, outbox.scanEvent(e));
        }
    }

    /**
     * Everything recorded about one job.
     *
     * @param job         the job
     * @param scans       its scans and their states
     * @param tasks       its tasks (state, worker, timings in seconds), oldest first
     * @param transitions every state change of the job, its scans and its tasks, in log order
     */
    public record JobDetails(Job job, List<JobScan> scans, List<Task> tasks, List<StateTransition> transitions) {
    }

    /**
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @return its details, empty when absent or another tenant's
     */
    public Optional<JobDetails> details(UUID tenantId, UUID jobId) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Job> job = db.store().findJob(c, jobId);
            if (job.isEmpty()) {
                return Optional.empty();
            }
            List<JobScan> scans = db.store().jobScans(c, jobId);
            List<Task> tasks = db.store().tasksOfJob(c, jobId);
            List<StateTransition> log = new ArrayList<>(db.store().history(c, EntityType.JOB, jobId));
            for (JobScan s : scans) {
                log.addAll(db.store().history(c, EntityType.JOB_SCAN, s.id()));
            }
            for (Task t : tasks) {
                log.addAll(db.store().history(c, EntityType.TASK, t.id()));
            }
            log.sort(Comparator.comparingLong(StateTransition::id));
            return Optional.of(new JobDetails(job.get(), scans, tasks, log));
        });
    }

    /**
     * @param tenantId the asking tenant
     * @param state    only jobs in this state, or {@code null}
     * @param from     only jobs created at or after, or {@code null}
     * @param to       only jobs created before, or {@code null}
     * @param limit    most jobs returned, 1..{@link #MAX_LIST}
     * @return the tenant's matching jobs, newest first
     */
    public List<Job> list(UUID tenantId, JobState state, Instant from, Instant to, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw RequestRejected.badRequest("limit", "must be within 1.." + MAX_LIST + ", got " + limit);
        }
        return db.app().inTenant(tenantId, c -> db.store().listJobs(c, state, from, to, limit));
    }
}
