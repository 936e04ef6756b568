package org.triplane.worker.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.ReclaimedTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.ObjectKeys;
import org.triplane.events.PlaneResult;
import org.triplane.events.PlaneTask;
import org.triplane.events.Topics;
import org.triplane.imaging.plane.Plane;
import org.triplane.messaging.EventCodec;
import org.triplane.worker.messaging.TaskEvents;

/**
 * The pipeline's rules in one place: when a stage of a job finishes, what comes next. Every
 * worker calls these inside the transaction that records its own task's end, so a stage's result
 * and the next stage's tasks and events are committed together or not at all.
 *
 * <pre>
 * SEGMENT, EVALUATE
 *   scan event ─▶ PREPROCESS task              {@link #scanAccepted}   job and job's scan RUNNING
 *   PREPROCESS done ─▶ 3 PLANE tasks + events   {@link #preprocessed}
 *   PLANE done ─▶ PlaneResult event             {@link #planePredicted}
 *   all 3 PLANE done ─▶ FUSION task             {@link #fusionDue}
 *   FUSION done ─▶ job's scan SUCCEEDED;        {@link #scanFused}
 *                  every scan ─▶ job SUCCEEDED
 * TRAIN
 *   scan event ─▶ PREPROCESS task              {@link #scanAccepted}
 *   PREPROCESS done ─▶ job's scan SUCCEEDED;    {@link #preprocessed} ({@link TrainingStart})
 *                  every scan ─▶ model set(s) + TRAIN task per plane (and fold) + events
 *   TRAIN done ─▶ model registered;             {@link #modelTrained}
 *                  every plane of every set ─▶ job SUCCEEDED
 * any kind
 *   a lease expires ─▶ the task PENDING again (its event again)  {@link #reclaimed}
 *                      or, attempts used up, as below
 *   a task fails for good (poison input, attempts used up) ─▶ its job's scan and the job FAILED  {@link #failed}
 * </pre>
 *
 * Job states: SUBMITTED ─▶ RUNNING ─▶ SUCCEEDED | FAILED | CANCELLED ({@link JobState#successors()}
 * is the one table of allowed moves); a job that has ended takes no further step here.
 */
public final class JobFlow {
    private final TaskEvents events = new TaskEvents();
    private final EventCodec codec = new EventCodec();
    private final TrainingStart training = new TrainingStart(events);

    /**
     * A scan of a running job arrived: its PREPROCESS task (found again on a redelivery), and the job
     * and the job's scan move to RUNNING if they were still waiting.
     */
    public Task scanAccepted(Connection c, Job job, JobScan scan, String actor) throws SQLException {
        Task task = Tasks.create(c, NewTask.forScan(job, scan.scanId(), TaskKind.PREPROCESS), actor);
        if (job.state() == JobState.SUBMITTED) {
            Jobs.transition(c, job, JobState.RUNNING, actor, "preprocessing started");
        }
        if (scan.state() == JobScanState.PENDING) {
            Jobs.transitionScan(c, scan, JobScanState.RUNNING, actor, "preprocessing started");
        }
        return task;
    }

    /**
     * What a scan's windowed volume is, for the plane tasks that read it.
     *
     * @param volumeKey object key of the windowed volume
     * @param grid      its grid (LPS mm, x fastest)
     * @param window    the HU window its bytes encode
     * @param atlas     the scan's atlas registration
     */
    public record PreprocessedScan(String volumeKey, ScanGeometry grid, HuWindow window, ScanRegistration atlas) {
    }

    /**
     * A scan's PREPROCESS task finished. SEGMENT or EVALUATE: the scan's three PLANE tasks and their
     * {@link PlaneTask} events. TRAIN: the scan's part of the job is done, and after the job's last
     * scan its model set(s) and TRAIN tasks with their events ({@link TrainingStart}).
     *
     * @return the events appended to the outbox
     */
    public Announcements preprocessed(Connection c, Job job, Task preprocess, PreprocessedScan scan) throws SQLException {
        if (job.kind() == JobKind.TRAIN) {
            return new Announcements(List.of(),
                    training.scanPreprocessed(c, job.id(), preprocess.scanId(), preprocess.worker()));
        }
        List<PlaneTask> planeTasks = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            Task planeTask = Tasks.create(c, NewTask.forPlane(job, preprocess.scanId(), plane), preprocess.worker());
            planeTasks.add(events.appendPlaneTask(c, planeTask, scan.volumeKey(), scan.grid(), scan.window(), scan.atlas()));
        }
        return new Announcements(planeTasks, List.of());
    }

    /**
     * A PLANE task's prediction is stored: the {@link PlaneResult} event (key {@code job:<id>}) that
     * tells the fusion-worker to look at the scan's planes.
     */
    public PlaneResult planePredicted(Connection c, Task task, Model model) throws SQLException {
        Plane plane = task.plane();
        PlaneResult event = new PlaneResult(PlaneResult.VERSION, UUID.randomUUID(), task.tenantId(), task.jobId(),
                task.scanId(), task.id(), plane, model.id(),
                ObjectKeys.planeLabels(task.tenantId(), task.jobId(), task.scanId(), plane),
                ObjectKeys.planeConfidence(task.tenantId(), task.jobId(), task.scanId(), plane), Instant.now());
        Outbox.append(c, new OutboxMessage("job:" + task.jobId(), Topics.PLANE_RESULTS, event.key(), codec.encode(event)));
        return event;
    }

    /**
     * Decided from the task table alone (a plane-result event is only a trigger): while the job runs
     * and all three PLANE tasks of the scan have SUCCEEDED, the scan's FUSION task, created on the
     * first call and found again on any later one.
     *
     * @return the FUSION task, or empty when a plane is not done (or FAILED, which has failed the
     *         job already) or the job has ended
     */
    public Optional<Task> fusionDue(Connection c, Job job, UUID scanId, String actor) throws SQLException {
        if (job.state().successors().isEmpty()) {
            return Optional.empty();
        }
        List<Task> planes = Tasks.forJob(c, job.id()).stream()
                .filter(t -> t.kind() == TaskKind.PLANE && scanId.equals(t.scanId())).toList();
        if (planes.size() < Plane.values().length || !planes.stream().allMatch(t -> t.state() == TaskState.SUCCEEDED)) {
            return Optional.empty();
        }
        return Optional.of(Tasks.create(c, NewTask.forScan(job, scanId, TaskKind.FUSION), actor));
    }

    /**
     * A scan's fused result is recorded: the job's scan SUCCEEDED, and the job SUCCEEDED once every
     * scan of it has. The caller holds the job row's lock, so two scans finishing together cannot
     * both miss being the last.
     */
    public void scanFused(Connection c, Job job, UUID scanId, String actor) throws SQLException {
        JobScan js = Jobs.scans(c, job.id()).stream().filter(s -> s.scanId().equals(scanId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("scan " + scanId + " is not part of job " + job.id()));
        if (js.state() == JobScanState.PENDING) {
            js = Jobs.transitionScan(c, js, JobScanState.RUNNING, actor, "fusion started");
        }
        if (js.state() == JobScanState.RUNNING) {
            Jobs.transitionScan(c, js, JobScanState.SUCCEEDED, actor, "fused result recorded");
        }
        List<JobScan> all = Jobs.scans(c, job.id());
        if (!all.stream().allMatch(s -> s.state() == JobScanState.SUCCEEDED)) {
            return;
        }
        Job current = job;
        if (current.state() == JobState.SUBMITTED) {
            current = Jobs.transition(c, current, JobState.RUNNING, actor, "fusion started");
        }
        if (current.state() == JobState.RUNNING) {
            Jobs.transition(c, current, JobState.SUCCEEDED, actor, "every scan fused: " + all.size() + " result(s) recorded");
        }
    }

    /**
     * A TRAIN task's model is registered: the job SUCCEEDED once its model set holds all three
     * planes (a k-fold job: once every fold's set does). The caller holds the job row's lock, so two
     * planes finishing together cannot both miss being the last.
     */
    public void modelTrained(Connection c, Task task, Model model) throws SQLException {
        Optional<Job> job = Jobs.find(c, task.jobId());
        if (job.isEmpty() || job.get().state() != JobState.RUNNING) {
            return;
        }
        int planes = Plane.values().length;
        if (task.fold() == null) {
            if (Models.ofSet(c, model.modelSetId()).size() == planes) {
                Jobs.transition(c, job.get(), JobState.SUCCEEDED, task.worker(),
                        "model set " + model.modelSetId() + " trained: one model per plane");
            }
            return;
        }
        List<ModelSet> folds = ModelSets.foldSetsOfTrainingJob(c, task.jobId());
        boolean allTrained = !folds.isEmpty();
        for (ModelSet f : folds) {
            allTrained &= Models.ofSet(c, f.id()).size() == planes;
        }
        if (allTrained) {
            Jobs.transition(c, job.get(), JobState.SUCCEEDED, task.worker(), folds.size()
                    + "-fold cross-validation trained: model sets " + folds.stream().map(f -> f.id().toString())
                    .collect(Collectors.joining(", ")) + ", one model per plane each");
        }
    }

    /**
     * A task's lease expired and the sweep took it back. Requeued: a PLANE or TRAIN task gets its
     * event again (the gpu-workers are event-driven); PREPROCESS and FUSION tasks need nothing, their
     * workers claim PENDING ones themselves. Failed for good (no attempt left): its job's scan and
     * the job FAILED with {@link #failureReason}.
     */
    public void reclaimed(Connection c, ReclaimedTask reclaimed, String actor) throws SQLException {
        Task t = reclaimed.task();
        if (!reclaimed.requeued()) {
            jobFailed(c, t.jobId(), t.scanId(), failureReason(t), actor);
        } else if (t.kind() == TaskKind.PLANE) {
            Scan scan = Scans.find(c, t.scanId()).orElseThrow();
            events.appendPlaneTask(c, t, ObjectKeys.preprocessed(t.tenantId(), t.scanId()), scan.geometry(),
                    scan.window(), ScanRegistrations.find(c, t.scanId()).orElse(null));
        } else if (t.kind() == TaskKind.TRAIN) {
            events.appendTrainTask(c, t);
        }
    }

    /**
     * The job's failure reason for a task that failed for good. A TRAIN task belongs to no scan, so
     * its reason names the plane's network and the task instead.
     */
    static String failureReason(Task failed) {
        if (failed.kind() == TaskKind.TRAIN) {
            String fold = failed.fold() == null ? "" : " for fold " + failed.fold();
            return "training of the " + failed.plane() + " network" + fold + " (task " + failed.id() + ") failed: "
                    + failed.error();
        }
        return failed.error();
    }

    /**
     * A task failed for good: the task FAILED (if still open), its job's scan FAILED (when the task
     * has one and it is not finished) and the job FAILED, with {@code reason}; what is finished
     * already stays as it is.
     */
    public void failed(Connection c, Task task, String reason) throws SQLException {
        Task current = Tasks.find(c, task.id()).orElseThrow();
        if (current.state() == TaskState.RUNNING || current.state() == TaskState.PENDING) {
            Tasks.transition(c, current, TaskState.FAILED, task.worker(), reason);
        }
        jobFailed(c, task.jobId(), task.scanId(), reason, task.worker());
    }

    /**
     * The job's scan (when {@code scanId} is given and it is not finished) and the job FAILED with
     * {@code reason}.
     */
    public void jobFailed(Connection c, UUID jobId, UUID scanId, String reason, String actor) throws SQLException {
        if (scanId != null) {
            Optional<JobScan> js = Jobs.scans(c, jobId).stream().filter(s -> s.scanId().equals(scanId)).findFirst();
            if (js.isPresent() && !js.get().state().successors().isEmpty()) {
                Jobs.transitionScan(c, js.get(), JobScanState.FAILED, actor, reason);
            }
        }
        Optional<Job> job = Jobs.find(c, jobId);
        if (job.isPresent() && !job.get().state().successors().isEmpty()) {
            Jobs.transition(c, job.get(), JobState.FAILED, actor, (scanId == null ? "" : "scan " + scanId + ": ") + reason);
        }
    }
}
