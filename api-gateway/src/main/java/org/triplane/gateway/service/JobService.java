package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.ListPosition;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.Submission;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.models.CrossValidation;
import org.triplane.db.models.DefaultModelSets;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.models.TrainingEpochs;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.ScanEvent;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.messaging.OutboxMessages;

/**
 * Job submission and the audit reads. Every job appends one {@link ScanEvent} per scan to the
 * outbox in the transaction that records the job, so the events exist exactly when the job does
 * (a TRAIN job's scans are preprocessed like any other; the preprocess-worker starts the training
 * after the last one); a repeated submission (same idempotency key) returns the first job and
 * appends nothing. {@link JobPreconditions} refuses what cannot run before anything is written.
 */
@ApplicationScoped
public class JobService {
    /**
     * Largest job parameters accepted, in characters of JSON (64 Ki), judged before they are parsed: far above
     * any parameter set the schema of a kind accepts.
     */
    public static final int MAX_PARAMETERS_CHARS = 64 * 1024;

    /** Most jobs one list call returns. */
    public static final int MAX_LIST = 1000;

    private final Databases db;
    private final OutboxMessages outbox;
    private final String codeVersion;
    private final JobPreconditions preconditions;
    private final JobCancellation cancellation;

    @Inject
    public JobService(Databases db, OutboxMessages outbox, GatewayConfig config) {
        this.db = db;
        this.outbox = outbox;
        this.codeVersion = config.codeVersion();
        this.preconditions = new JobPreconditions();
        this.cancellation = new JobCancellation();
    }

    /**
     * @param tenantId       the submitting tenant
     * @param requestedBy    who submits
     * @param idempotencyKey the client's key
     * @param kind           what to run
     * @param scanIds        the scans, each the tenant's own
     * @param parametersJson options, a JSON object of the keys the kind accepts
     * @param modelSetId     the model set a SEGMENT or EVALUATE job runs, or {@code null}; the parameter
     *                       modelSetId names it too (both must then agree)
     * @return the job and whether this call created it
     * @throws RequestRejected 404 for an unknown scan or model set, 400 for an invalid request (a TRAIN
     *                         job without 2 labelled scans, a parameter its kind does not accept or a value
     *                         its key refuses among others), 409 for a model set without all three planes'
     *                         models or a taken model set name, 413 for parameters above
     *                         {@link #MAX_PARAMETERS_CHARS}
     * @throws org.triplane.db.jobs.IdempotencyConflictException when the key was used for another request
     */
    public Submission submit(UUID tenantId, String requestedBy, String idempotencyKey, JobKind kind, List<UUID> scanIds,
                             String parametersJson, UUID modelSetId) {
        // why: parameters are stored with the job and shown in its answers; without a bound one tenant's 10 MB of
        // parameters made each of its job answers megabytes long, and 60 MB failed in the database
        if (parametersJson != null && parametersJson.length() > MAX_PARAMETERS_CHARS) {
            throw new RequestRejected(413, "parameters", String.format(java.util.Locale.ROOT,
                    "job parameters are %,d characters of JSON; at most %,d are accepted", parametersJson.length(),
                    MAX_PARAMETERS_CHARS));
        }
        // why before the transaction: a key or value the kind does not take is refused by itself, whatever the scans
        JsonNode parameters = JobPreconditions.parameters(kind, parametersJson);
        UUID named = JobPreconditions.modelSetId(modelSetId, parameters);
        JobRequest.Builder builder = JobRequest.builder().setTenantId(tenantId).setKind(kind).setRequestedBy(requestedBy)
                .setIdempotencyKey(idempotencyKey).setCodeVersion(codeVersion).setScanIds(scanIds)
                .optParametersJson(parametersJson).optModelSetId(named);
        validate(builder);
        return db.app().inTenant(tenantId, c -> {
            List<Scan> scans = new ArrayList<>();
            for (UUID id : scanIds) {
                scans.add(Scans.find(c, id)
                        .orElseThrow(() -> RequestRejected.notFound("scanIds", "scan " + id + " not found")));
            }
            JobRequest request;
            if (named == null && kind != JobKind.TRAIN) {
                // why here: the default is read in the transaction that records the job, so the job names the
                // set that was the default when it was accepted
                request = builder.optDefaultModelSetId(defaultModelSet(c, kind)).build();
            } else {
                request = builder.build();
            }
            preconditions.beforeSubmission(c, kind, scans, parameters, request.modelSetId());
            Submission s = Jobs.submit(c, request);
            if (s.created()) {
                // why after Jobs.submit: a retry of an accepted job returns it even when its checks would now fail
                preconditions.forNewJob(c, kind, parameters);
                appendScanEvents(c, s.job(), scans);
            }
            return s;
        });
    }

    private static void validate(JobRequest.Builder builder) {
        try {
            builder.validate();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            String field = msg.contains(":") ? msg.substring(0, msg.indexOf(':')) : "request";
            throw RequestRejected.badRequest("idempotencyKey".equals(field) ? "Idempotency-Key" : field, msg);
        }
    }

    /**
     * @return the default model set's id
     * @throws RequestRejected 409 naming {@code modelSetId} when no default is registered
     */
    private UUID defaultModelSet(Connection c, JobKind kind) throws SQLException {
        return DefaultModelSets.findDefault(c).map(org.triplane.db.models.ModelSet::id).orElseThrow(() -> new RequestRejected(409,
                "modelSetId", "a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " job needs a model set and none is "
                + "named: no default model set is registered. Name one (field modelSetId, or `triplane submit --model-set "
                + "ID`; GET /api/v1/models lists them), or ship a default in models/default (written by `triplane "
                + "model-set export`) and restart the gateway"));
    }

    private void appendScanEvents(Connection c, Job job, List<Scan> scans) throws SQLException {
        Instant now = Instant.now();
        for (Scan scan : scans) {
            ScanEvent e = new ScanEvent(ScanEvent.VERSION, UUID.randomUUID(), job.tenantId(), job.id(), scan.id(),
                    scan.ct().key(), scan.transformFile() == null ? null : scan.transformFile().key(),
                    scan.labels() == null ? null : scan.labels().key(), scan.ct().sha256(), now);
            Outbox.append(c, outbox.scanEvent(e));
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
            Optional<Job> job = Jobs.find(c, jobId);
            if (job.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(details(c, job.get()));
        });
    }

    /**
     * @param c   the caller's transaction
     * @param job a job visible in it
     * @return its scans, tasks and every state change of the job, its scans and tasks in log order
     * @throws SQLException on database errors
     */
    static JobDetails details(Connection c, Job job) throws SQLException {
        List<JobScan> scans = Jobs.scans(c, job.id());
        List<Task> tasks = Tasks.forJob(c, job.id());
        List<StateTransition> log = new ArrayList<>(TransitionLog.history(c, EntityType.JOB, job.id()));
        for (JobScan s : scans) {
            log.addAll(TransitionLog.history(c, EntityType.JOB_SCAN, s.id()));
        }
        for (Task t : tasks) {
            log.addAll(TransitionLog.history(c, EntityType.TASK, t.id()));
        }
        log.sort(Comparator.comparingLong(StateTransition::id));
        return new JobDetails(job, scans, tasks, log);
    }

    /**
     * One TRAIN task with its epochs.
     *
     * @param task   the task (plane, state, attempt, worker, device)
     * @param epochs its finished epochs in order
     */
    public record TrainingTask(Task task, List<TrainingEpoch> epochs) {
    }

    /**
     * A TRAIN job's training so far.
     *
     * @param job             the job (its model set, once training started; none for a k-fold job)
     * @param tasks           one per plane (a k-fold job: per plane and fold) in plane then fold order, empty until
     *                        every scan is preprocessed
     * @param crossValidation a k-fold job's per-plane summary over its folds, or {@code null}
     */
    public record Training(Job job, List<TrainingTask> tasks, CrossValidation crossValidation) {
    }

    /**
     * @param tenantId the asking tenant
     * @param jobId    a TRAIN job
     * @return its training, empty when the job is absent or another tenant's
     * @throws RequestRejected 404 when the job is not a TRAIN job
     */
    public Optional<Training> training(UUID tenantId, UUID jobId) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Job> job = Jobs.find(c, jobId);
            if (job.isEmpty()) {
                return Optional.empty();
            }
            if (job.get().kind() != JobKind.TRAIN) {
                throw RequestRejected.notFound("id", "job " + jobId + " is a " + job.get().kind()
                        + " job; only TRAIN jobs have a training history");
            }
            List<TrainingTask> tasks = new ArrayList<>();
            List<Task> train = Tasks.forJob(c, jobId).stream().filter(t -> t.kind() == TaskKind.TRAIN)
                    .sorted(Comparator.comparing(Task::plane, Comparator.nullsLast(Comparator.naturalOrder()))
                            .thenComparing(Task::fold, Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
            for (Task t : train) {
                tasks.add(new TrainingTask(t, TrainingEpochs.ofTask(c, t.id())));
            }
            CrossValidation cv = CrossValidation.of(ModelSets.ofTrainingJob(c, jobId),
                    ModelSets.foldModelsOf(c, jobId)).orElse(null);
            return Optional.of(new Training(job.get(), tasks, cv));
        });
    }

    /**
     * @param tenantId the asking tenant
     * @param filter   state, kind, model set, model and creation-time filters, applied in SQL
     * @param after    where the previous page ended, or {@code null} for the first
     * @param limit    most jobs returned, 1..{@link #MAX_LIST}
     * @return the tenant's matching jobs, newest first (creation time, then id), and where the next page starts
     */
    public Page<Job> list(UUID tenantId, JobFilter filter, ListPosition after, int limit) {
        Page.checkLimit(limit, MAX_LIST);
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw RequestRejected.badRequest("to", "must be after from (" + filter.from() + "), got " + filter.to());
        }
        List<Job> fetched = db.app().inTenant(tenantId, c -> AuditQueries.listJobs(c, filter, after, limit + 1));
        return Page.of(fetched, limit, j -> new ListPosition(j.createdAt(), j.id()));
    }

    /**
     * Cancels a SUBMITTED or RUNNING job: the job, its open tasks and unfinished scans become CANCELLED, audited
     * with the caller as actor. Idempotent: a cancelled job is answered as it is.
     *
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @param actor    who cancels
     * @return the job's details after the cancellation, empty when absent or another tenant's
     * @throws RequestRejected 409 naming {@code id} for a job that already SUCCEEDED or FAILED
     */
    public Optional<JobDetails> cancel(UUID tenantId, UUID jobId, String actor) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Job> job = cancellation.cancel(c, jobId, actor);
            return job.isEmpty() ? Optional.<JobDetails>empty() : Optional.of(details(c, job.get()));
        });
    }
}
