package org.triplane.gpu.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.db.Tx;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.models.TrainingEpochs;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.ObjectKeys;
import org.triplane.events.PlaneResult;
import org.triplane.imaging.plane.Plane;
import org.triplane.worker.pipeline.JobFlow;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.TaskLifecycle;

/**
 * Every database step of the gpu-worker, each one transaction as {@code triplane_worker}: reading
 * what a plane or training task needs, recording epochs as they finish, and completing a task
 * together with what follows from it (the plane-result event; the registered model and, with the
 * third plane, the finished TRAIN job).
 */
@ApplicationScoped
public class GpuLedger {
    private final Tx tx;
    private final JobFlow flow = new JobFlow();

    /** @param tx transactions as {@code triplane_worker} (the worker kit's) */
    public GpuLedger(Tx tx) {
        this.tx = tx;
    }

    /**
     * What a plane task runs on.
     *
     * @param scan  the scan (its preprocessed volume is at {@link ObjectKeys#preprocessed})
     * @param model the job's model for the task's plane
     * @param registration the scan's atlas registration (its deformable stage is what model sets whose atlas
     *                     inputs follow it need), or {@code null} when it has none
     */
    public record InferenceInput(Scan scan, Model model, ScanRegistration registration) {
    }

    /** @throws PoisonInputException when the job names no model set or the set lacks the plane */
    public InferenceInput inferenceInput(Task task) {
        return tx.run(c -> {
            Job job = Jobs.find(c, task.jobId())
                    .orElseThrow(() -> new PoisonInputException("job " + task.jobId() + " does not exist"));
            if (job.modelSetId() == null) {
                throw new PoisonInputException("job " + job.id() + " names no model set; submit it with the id of a trained"
                        + " model set (see GET /models)");
            }
            Model model = modelFor(c, job.modelSetId(), task.plane());
            Scan scan = Scans.find(c, task.scanId())
                    .orElseThrow(() -> new PoisonInputException("scan " + task.scanId() + " does not exist"));
            // why: this connection sees every tenant's rows; only the job's tenant's registration belongs to its scan
            ScanRegistration registration = ScanRegistrations.find(c, scan.id())
                    .filter(r -> r.tenantId().equals(job.tenantId())).orElse(null);
            return new InferenceInput(scan, model, registration);
        });
    }

    private Model modelFor(Connection c, UUID modelSetId, Plane plane) throws SQLException {
        return Models.ofSet(c, modelSetId).stream().filter(m -> m.plane() == plane).findFirst()
                .orElseThrow(() -> new PoisonInputException("model set " + modelSetId + " has no " + plane
                        + " model; train one or use a complete model set"));
    }

    /**
     * In one transaction: device and timings on the task, SUCCEEDED, and what follows
     * ({@link JobFlow#planePredicted}: the {@link PlaneResult} event in the outbox). A worker whose lease was reclaimed meanwhile fails the compare-and-set
     * and nothing is written.
     */
    public PlaneResult completePlane(Task task, Model model, String device, String timingsJson) {
        return tx.run(c -> {
            Task recorded = Tasks.recordRun(c, task, device, timingsJson);
            Tasks.transition(c, recorded, TaskState.SUCCEEDED, task.worker(),
                    task.plane().wireName() + " prediction stored by model " + model.id());
            PlaneResult event = flow.planePredicted(c, task, model);
            return event;
        });
    }

    /**
     * What a TRAIN task runs on.
     *
     * @param job   the TRAIN job (parameters)
     * @param scans its scans in the job's order, every one labelled
     * @param set   the model set the task's model goes into: the job's, or for a fold's task that fold's
     * @param registrations the atlas registrations of those scans that have one (the preprocess-worker
     *                      writes one per scan), by scan id
     */
    public record TrainingInput(Job job, List<Scan> scans, ModelSet set, Map<UUID, ScanRegistration> registrations) {
    }

    /** @throws PoisonInputException when the job (or the task's fold) has no model set yet or a scan has no labels */
    public TrainingInput trainingInput(Task task) {
        return tx.run(c -> {
            Job job = Jobs.find(c, task.jobId())
                    .orElseThrow(() -> new PoisonInputException("job " + task.jobId() + " does not exist"));
            ModelSet set = targetSet(c, job, task);
            List<Scan> scans = new ArrayList<>();
            Map<UUID, ScanRegistration> registrations = new LinkedHashMap<>();
            for (JobScan js : Jobs.scans(c, job.id())) {
                Scan scan = Scans.find(c, js.scanId())
                        .orElseThrow(() -> new PoisonInputException("scan " + js.scanId() + " does not exist"));
                if (scan.labels() == null) {
                    throw new PoisonInputException("scan " + scan.id() + " has no labels; a TRAIN job needs labelled scans");
                }
                scans.add(scan);
                // why: this connection sees every tenant's rows; only the job's tenant's registration belongs to its scan
                ScanRegistrations.find(c, scan.id()).filter(r -> r.tenantId().equals(job.tenantId()))
                        .ifPresent(r -> registrations.put(scan.id(), r));
            }
            return new TrainingInput(job, scans, set, registrations);
        });
    }

    private ModelSet targetSet(Connection c, Job job, Task task) throws SQLException {
        if (task.fold() == null) {
            if (job.modelSetId() == null) {
                throw new PoisonInputException("TRAIN job " + job.id() + " has no model set to train into");
            }
            return ModelSets.find(c, job.modelSetId())
                    .orElseThrow(() -> new PoisonInputException("model set " + job.modelSetId() + " of TRAIN job " + job.id()
                            + " does not exist"));
        }
        return ModelSets.ofTrainingJob(c, job.id()).stream().filter(s -> task.fold().equals(s.fold())).findFirst()
                .orElseThrow(() -> new PoisonInputException("TRAIN job " + job.id() + " has no model set for fold "
                        + task.fold() + " to train into"));
    }

    /** Records one finished epoch (a resumed run re-recording an epoch replaces the row). */
    public void recordEpoch(TrainingEpoch epoch) {
        tx.run(c -> {
            TrainingEpochs.upsert(c, epoch);
            return null;
        });
    }

    /** @return the epochs recorded for a TRAIN task so far */
    public List<TrainingEpoch> epochs(UUID taskId) {
        return tx.run(c -> TrainingEpochs.ofTask(c, taskId));
    }

    /**
     * In one transaction: registers the model, records device and timings, SUCCEEDED on the task,
     * and what follows ({@link JobFlow#modelTrained}: the job SUCCEEDED once every plane is trained).
     * The job row is locked first so that two planes finishing together cannot
     * both miss being the last.
     */
    public Model completeTraining(Task task, Model model, String device, String timingsJson) {
        return TaskLifecycle.retryOnConflict(() -> tx.run(c -> {
            lockJob(c, task.jobId());
            Task recorded = Tasks.recordRun(c, task, device, timingsJson);
            Model stored = Models.insert(c, model);
            Tasks.transition(c, recorded, TaskState.SUCCEEDED, task.worker(),
                    "model " + stored.id() + " registered in set " + stored.modelSetId());
            flow.modelTrained(c, task, stored);
            return stored;
        }));
    }

    private static void lockJob(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE id = ? FOR UPDATE")) {
            ps.setObject(1, jobId);
            ps.executeQuery().close();
        }
    }
}
