package org.triplane.fusion.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.triplane.db.Tx;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.outbox.ProcessedEvents;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.results.Results;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.PlaneResult;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.worker.pipeline.JobFlow;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.TaskLifecycle;

/**
 * Every database step of the fusion-worker, each one transaction as {@code triplane_worker}:
 * turning a plane-result event into the scan's FUSION task once all three planes succeeded,
 * reading what a fusion task needs, and completing it together with the result row, the per-class
 * metrics, the timings, the job's scan and (after its last scan) the job.
 */
@ApplicationScoped
public class FusionLedger {
    private final Tx tx;
    private final JobFlow flow = new JobFlow();

    /** @param tx transactions as {@code triplane_worker} (the worker kit's) */
    public FusionLedger(Tx tx) {
        this.tx = tx;
    }

    /** Leases the oldest PENDING FUSION task of any tenant; empty when there is none. */
    public Optional<Task> claimNext(String worker, int leaseSeconds) {
        return tx.run(c -> Tasks.claim(c, worker, leaseSeconds, EnumSet.of(TaskKind.FUSION)));
    }

    /**
     * What a plane-result event leads to ({@link JobFlow#fusionDue}): when the job still runs and all
     * three PLANE tasks of the scan have SUCCEEDED, the scan's FUSION task, created on the first such
     * event and found again on any later one.
     *
     * @return the FUSION task, or empty when the event was seen before, a plane is not done (or
     *         FAILED, which has already failed the job), or the job has ended
     * @throws PoisonInputException when the event names a job that does not exist or another tenant's
     */
    public Optional<Task> onPlaneResult(String consumer, PlaneResult event, String actor) {
        return tx.run(c -> {
            if (!ProcessedEvents.markProcessed(c, consumer, event.eventId().toString())) {
                return Optional.<Task>empty();
            }
            Job job = Jobs.find(c, event.jobId())
                    .orElseThrow(() -> new PoisonInputException("plane result " + event.eventId() + " names job "
                            + event.jobId() + ", which does not exist"));
            if (!job.tenantId().equals(event.tenantId())) {
                throw new PoisonInputException("plane result " + event.eventId() + " names tenant " + event.tenantId()
                        + " but job " + job.id() + " belongs to another tenant");
            }
            return flow.fusionDue(c, job, event.scanId(), actor);
        });
    }

    /**
     * What a fusion task runs on.
     *
     * @param job            the job (state, parameters, model set)
     * @param scan           the scan (CT, transform file, reference labels with their checksums)
     * @param rule           the vote the job asks for (parameters {@code fusion}, {@code fusionAtlasVoter}), with its
     *                       model set's weights for the learned vote
     * @param resultRecorded whether a result row for (job, scan) already exists
     */
    public record FusionInput(Job job, Scan scan, FusionRule rule, boolean resultRecorded) {
        /** True when the job FAILED or was CANCELLED: nothing is left to fuse for. */
        public boolean jobEnded() {
            return job.state() == JobState.FAILED || job.state() == JobState.CANCELLED;
        }
    }

    /**
     * @throws PoisonInputException when job or scan are missing, the job's parameters are invalid, or it asks
     *                              for the learned vote and its model set has no fusion weights
     */
    public FusionInput input(Task task) {
        return tx.run(c -> {
            Job job = Jobs.find(c, task.jobId())
                    .orElseThrow(() -> new PoisonInputException("job " + task.jobId() + " does not exist"));
            Scan scan = Scans.find(c, task.scanId())
                    .orElseThrow(() -> new PoisonInputException("scan " + task.scanId() + " does not exist"));
            FusionMethod method = JobParameters.fusionMethod(job);
            WeightedVote weights = method == FusionMethod.LEARNED ? learnedWeights(c, job) : null;
            FusionRule rule = new FusionRule(method, JobParameters.atlasVoter(job), weights);
            boolean recorded = Results.findResult(c, job.id(), scan.id()).isPresent();
            return new FusionInput(job, scan, rule, recorded);
        });
    }

    /** The weights recorded with the job's model set, which never change once recorded. */
    private WeightedVote learnedWeights(Connection c, Job job) throws SQLException {
        if (job.modelSetId() == null) {
            throw new PoisonInputException("job " + job.id() + " asks for " + FusionMethod.PARAMETER + "="
                    + FusionMethod.LEARNED.wireName() + " but names no model set, whose fusion weights it would use");
        }
        FusionWeights w = ModelSetFusionWeights.find(c, job.modelSetId()).orElseThrow(() -> new PoisonInputException("job "
                + job.id() + " asks for " + FusionMethod.PARAMETER + "=" + FusionMethod.LEARNED.wireName() + " but model set "
                + job.modelSetId() + " has no fusion weights; fit them with `triplane model-set fit-fusion " + job.modelSetId()
                + " --from-job EVALUATE_JOB_ID` (a finished evaluate job of that set on labelled scans), or submit with "
                + FusionMethod.PARAMETER + "=" + FusionMethod.MAJORITY.wireName()));
        return WeightedVote.of(w.weights().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Cancels a claimed task whose job has ended (compare-and-set: a lost lease changes nothing). */
    public void cancel(Task task, String reason) {
        tx.run(c -> Tasks.transition(c, task, TaskState.CANCELLED, task.worker(), reason));
    }

    /** How a completion ended. */
    public enum Completion {
        /** This run's result, metrics and timings were recorded; the task SUCCEEDED. */
        RECORDED,
        /** A result for (job, scan) already existed and was left unchanged; the task SUCCEEDED. */
        ALREADY_RECORDED,
        /** The job had ended meanwhile; the task was CANCELLED and nothing recorded. */
        CANCELLED
    }

    /**
     * What a finished run records.
     *
     * @param result      the result row, or {@code null} when the run found one already recorded
     * @param metrics     per-class metric rows (empty when the scan has no reference labels)
     * @param timingsJson per-phase seconds, JSON object
     * @param summary     one line for the transition log
     */
    public record FusionRecord(FusedResult result, List<ClassMetric> metrics, String timingsJson, String summary) {
    }

    /**
     * In one transaction, with the job row locked first (so that two scans finishing together cannot
     * both miss being the last): the result row unless one exists (then nothing of it changes), the
     * per-class metrics with it, timings and SUCCEEDED on the task, and what follows
     * ({@link JobFlow#scanFused}: the job's scan SUCCEEDED, the job once every scan of it has). A worker whose lease was reclaimed meanwhile
     * fails the task's compare-and-set and nothing at all is written.
     */
    public Completion complete(Task task, FusionRecord record) {
        return TaskLifecycle.retryOnConflict(() -> tx.run(c -> {
            Job job = Jobs.lock(c, task.jobId())
                    .orElseThrow(() -> new PoisonInputException("job " + task.jobId() + " does not exist"));
            if (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED) {
                Tasks.transition(c, task, TaskState.CANCELLED, task.worker(), "job is " + job.state() + ": nothing recorded");
                return Completion.CANCELLED;
            }
            boolean written = record.result() != null && FusedResults.insertIfAbsent(c, record.result());
            if (written && !record.metrics().isEmpty()) {
                Results.upsertClassMetrics(c, record.metrics());
            }
            Task recorded = Tasks.recordRun(c, task, "cpu", record.timingsJson());
            Tasks.transition(c, recorded, TaskState.SUCCEEDED, task.worker(),
                    written ? record.summary() : "a result for this scan was already recorded; left unchanged");
            flow.scanFused(c, job, task.scanId(), task.worker());
            return written ? Completion.RECORDED : Completion.ALREADY_RECORDED;
        }));
    }
}
