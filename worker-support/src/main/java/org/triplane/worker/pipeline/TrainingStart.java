package org.triplane.worker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.TrainTask;
import org.triplane.imaging.plane.Plane;
import org.triplane.worker.messaging.TaskEvents;

/**
 * The TRAIN job's side of a finished preprocess task, inside the caller's transaction: the scan's
 * part of the job is done, and once every scan of the job is, the job's model set, its three TRAIN
 * tasks (one per plane) and their {@link TrainTask} events in the outbox come into being together.
 *
 * <p>A job with the parameter {@value TrainingFolds#PARAMETER} = k gets k model sets instead, named
 * {@code <name>-fold<i>of<k>} for fold i = 1..k, and 3k TRAIN tasks (plane × fold), all in the same
 * transaction. Its {@code model_set_id} stays NULL: no single set is "the" result of a
 * cross-validation; the fold sets name the job in {@code training_job_id}.
 *
 * <p>Idempotent: the job's {@code model_set_id}, or a set naming the job as its training job,
 * records that training was started, so a second arrival at "every scan done" (a redelivery, a
 * redone task) creates no second set and announces nothing; the task identity index keeps the
 * TRAIN tasks unique per (job, plane, fold) in any case.
 */
final class TrainingStart {

    /** Fusion rule of every set a TRAIN job produces. */
    static final String FUSION_RULE = "MAJORITY_2_OF_3";
    /** Job parameter naming the model set to create. */
    static final String MODEL_SET_NAME_PARAMETER = "modelSetName";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskEvents events;

    TrainingStart(TaskEvents events) {
        this.events = events;
    }

    /**
     * @param c      transaction
     * @param jobId  a TRAIN job
     * @param scanId the scan whose preprocessing just finished
     * @param actor  who records it
     * @return the TrainTask events appended to the outbox (empty until the job's last scan)
     */
    List<TrainTask> scanPreprocessed(Connection c, UUID jobId, UUID scanId, String actor) throws SQLException {
        // why the lock: two workers finishing the last two scans at once would otherwise each see the
        // other's scan still RUNNING and neither would start training; with it the second one waits
        // and then reads the first one's committed SUCCEEDED
        Job job = Jobs.lock(c, jobId)
                .orElseThrow(() -> new IllegalStateException("job " + jobId + " disappeared while its scan was preprocessed"));
        if (job.kind() != JobKind.TRAIN) {
            throw new IllegalArgumentException("job " + jobId + " is a " + job.kind() + " job, not TRAIN");
        }
        markScanDone(c, jobId, scanId, actor);
        if (job.state().isTerminal() || job.modelSetId() != null || !ModelSets.ofTrainingJob(c, jobId).isEmpty()) {
            return List.of();
        }
        List<JobScan> scans = Jobs.scans(c, jobId);
        boolean allDone = scans.stream().allMatch(s -> s.state() == JobScanState.SUCCEEDED);
        if (!allDone) {
            return List.of();
        }
        Optional<Integer> folds;
        try {
            folds = TrainingFolds.of(job.parametersJson(), scans.size());
        } catch (IllegalArgumentException e) {
            Jobs.transition(c, job, JobState.FAILED, actor, "TRAIN job " + jobId + ": " + e.getMessage());
            return List.of();
        }
        String name = modelSetName(job);
        List<String> names = folds.map(k -> ModelSet.foldSetNames(name, k)).orElse(List.of(name));
        for (String n : names) {
            Optional<ModelSet> taken = ModelSets.findByName(c, n);
            if (taken.isPresent()) {
                Jobs.transition(c, job, JobState.FAILED, actor, "model set name '" + n + "' is already taken by model set "
                        + taken.get().id() + "; submit the training again with another " + MODEL_SET_NAME_PARAMETER);
                return List.of();
            }
        }
        return folds.isPresent() ? startFolds(c, job, names, folds.get(), actor) : startOneSet(c, job, name, actor);
    }

    /** One model set, named by the job, and one TRAIN task per plane. */
    private List<TrainTask> startOneSet(Connection c, Job job, String name, String actor) throws SQLException {
        ModelSet set = ModelSets.create(c, name, FUSION_RULE, job.codeVersion(), job.id(), null, null);
        Job assigned = Jobs.assignModelSet(c, job, set.id());
        List<TrainTask> announced = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            Task task = Tasks.create(c, NewTask.forTraining(assigned, plane), actor);
            if (task.state() == TaskState.PENDING) {
                announced.add(events.appendTrainTask(c, task));
            }
        }
        return announced;
    }

    /** k model sets (fold i named {@code names[i - 1]}) and one TRAIN task per plane and fold; the job names no set. */
    private List<TrainTask> startFolds(Connection c, Job job, List<String> names, int k, String actor) throws SQLException {
        List<TrainTask> announced = new ArrayList<>();
        for (int fold = 1; fold <= k; fold++) {
            ModelSets.create(c, names.get(fold - 1), FUSION_RULE, job.codeVersion(), job.id(), fold, k);
            for (Plane plane : Plane.values()) {
                Task task = Tasks.create(c, NewTask.forTrainingFold(job, plane, fold), actor);
                if (task.state() == TaskState.PENDING) {
                    announced.add(events.appendTrainTask(c, task));
                }
            }
        }
        return announced;
    }

    /**
     * The model set's name: the job's {@value #MODEL_SET_NAME_PARAMETER} parameter when it is a
     * non-blank string, else {@code train-<job id>}.
     */
    static String modelSetName(Job job) {
        try {
            JsonNode name = JSON.readTree(job.parametersJson()).path(MODEL_SET_NAME_PARAMETER);
            if (name.isTextual() && !name.asText().isBlank()) {
                return name.asText().strip();
            }
        } catch (JsonProcessingException e) {
            // why: the column is jsonb, so this cannot happen for a stored job; fall back to the default name
        }
        return "train-" + job.id();
    }

    private void markScanDone(Connection c, UUID jobId, UUID scanId, String actor) throws SQLException {
        Optional<JobScan> js = Jobs.scans(c, jobId).stream().filter(s -> s.scanId().equals(scanId)).findFirst();
        if (js.isEmpty() || js.get().state().isTerminal()) {
            return;
        }
        JobScan current = js.get();
        if (current.state() == JobScanState.PENDING) {
            current = Jobs.transitionScan(c, current, JobScanState.RUNNING, actor, "preprocessing started");
        }
        Jobs.transitionScan(c, current, JobScanState.SUCCEEDED, actor,
                "preprocessed; this scan's part of the training job is done");
    }
}
