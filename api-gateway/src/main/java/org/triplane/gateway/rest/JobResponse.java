package org.triplane.gateway.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.tasks.Task;
import org.triplane.gateway.service.JobService;

/**
 * A job with its scans, tasks and state log. Instants are UTC; task timings are seconds per phase.
 *
 * @param id             job id
 * @param kind           SEGMENT, EVALUATE or TRAIN
 * @param state          SUBMITTED, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param requestedBy    who submitted it
 * @param idempotencyKey the client's key
 * @param parameters     options as submitted (JSON object); {@code null} in list answers
 * @param modelSetId     the model set a segment or evaluate job runs, or a train job produces (set
 *                       once its scans are preprocessed); {@code null} otherwise
 * @param codeVersion    version of the accepting code
 * @param createdAt      submission instant
 * @param startedAt      first RUNNING instant, or {@code null}
 * @param finishedAt     terminal instant, or {@code null}
 * @param error          why it failed, or {@code null}
 * @param scans          per-scan state (empty in list answers)
 * @param tasks          units of work (empty in list answers)
 * @param transitions    state changes of the job, its scans and tasks in log order (empty in list answers)
 * @param modelSetDefault whether the job named no model set and runs {@code modelSetId} because it was the default
 *                        model set when the job was accepted
 */
public record JobResponse(UUID id, String kind, String state, String requestedBy, String idempotencyKey,
                          @JsonRawValue String parameters, UUID modelSetId, String codeVersion, Instant createdAt, Instant startedAt,
                          Instant finishedAt, String error, List<ScanState> scans, List<TaskView> tasks,
                          List<Transition> transitions, boolean modelSetDefault) {

    /** @param scanId scan @param state per-scan state @param error why it failed @param updatedAt last change */
    public record ScanState(UUID scanId, String state, String error, Instant updatedAt) {
    }

    /**
     * @param id id @param scanId scan or null @param kind PREPROCESS, PLANE, FUSION or TRAIN @param plane plane or null
     * @param state state @param attempt attempt from 1 @param worker lease holder @param device where it ran
     * @param startedAt start of the current attempt @param finishedAt terminal instant @param error why it failed
     * @param timings JSON object of phase → seconds
     * @param fold cross-validation fold 1..k of a k-fold train job's TRAIN task, else null
     */
    public record TaskView(UUID id, UUID scanId, String kind, String plane, String state, int attempt, String worker,
                           String device, Instant startedAt, Instant finishedAt, String error,
                           @JsonRawValue String timings, Integer fold) {
    }

    /**
     * @param entity JOB, JOB_SCAN or TASK @param entityId its id @param from state before (null at creation)
     * @param to state after @param at instant (database clock) @param actor who (a worker id for task changes)
     * @param attempt the task attempt the change belongs to (null for jobs and job scans) @param reason why
     */
    public record Transition(String entity, UUID entityId, String from, String to, Instant at, String actor,
                             Integer attempt, String reason) {
    }

    static JobResponse summary(Job j) {
        return of(j, List.of(), List.of(), List.of());
    }

    /**
     * A job as a list shows it: its summary without parameters. Why: a list holds up to 1000 jobs, and
     * parameters may be up to 64 Ki characters each (those accepted before the schema judged them, or by
     * a future key of free text), so echoing them could make one answer 64 MB; the job's own answer and
     * its audit show them.
     */
    static JobResponse listed(Job j) {
        JobResponse s = summary(j);
        return new JobResponse(s.id(), s.kind(), s.state(), s.requestedBy(), s.idempotencyKey(), null, s.modelSetId(),
                s.codeVersion(), s.createdAt(), s.startedAt(), s.finishedAt(), s.error(), s.scans(), s.tasks(),
                s.transitions(), s.modelSetDefault());
    }

    static JobResponse of(JobService.JobDetails d) {
        return of(d.job(), d.scans(), d.tasks(), d.transitions());
    }

    private static JobResponse of(Job j, List<JobScan> scans, List<Task> tasks, List<StateTransition> log) {
        return new JobResponse(j.id(), j.kind().name(), j.state().name(), j.requestedBy(), j.idempotencyKey(),
                j.parametersJson(), j.modelSetId(), j.codeVersion(), j.createdAt(), j.startedAt(), j.finishedAt(), j.error(),
                scans.stream().map(s -> new ScanState(s.scanId(), s.state().name(), s.error(), s.updatedAt())).toList(),
                tasks.stream().map(t -> new TaskView(t.id(), t.scanId(), t.kind().name(),
                        t.plane() == null ? null : t.plane().name(), t.state().name(), t.attempt(), t.worker(), t.device(),
                        t.startedAt(), t.finishedAt(), t.error(), t.timingsJson(), t.fold())).toList(),
                log.stream().map(x -> new Transition(x.entityType().name(), x.entityId(), x.fromState(), x.toState(), x.at(),
                        x.actor(), x.attempt(), x.reason())).toList(), j.modelSetDefault());
    }
}
