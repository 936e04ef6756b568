package org.triplane.gpu.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.Task;
import org.triplane.events.ObjectKeys;
import org.triplane.events.Plane;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.Volume;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.pipeline.PlaneInference;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.LeaseKeeper;
import org.triplane.worker.run.RunOutcome;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.storage.ObjectStore;
import org.triplane.worker.storage.ScratchDir;

/**
 * Runs one claimed plane task: the job's model for the plane (cached), the scan's preprocessed
 * volume, batched slice inference on the model grid, labels and confidence back on the scan's
 * rotated grid (two uint8 volumes, x fastest), stored under deterministic keys (a redo
 * overwrites), then completion with the plane-result event in one transaction.
 */
@ApplicationScoped
public class InferenceService {
    private static final Logger LOG = Logger.getLogger(InferenceService.class);
    private static final String VOLUME_CONTENT_TYPE = "application/gzip";

    private final GpuLedger ledger;
    private final ObjectStore objects;
    private final ModelCache models;
    private final TaskGuard guard;
    private final GpuWorkerConfig config;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final Resampler resampler;

    public InferenceService(GpuLedger ledger, ObjectStore objects, ModelCache models, TaskGuard guard, GpuWorkerConfig config,
                            MeterRegistry metrics) {
        this.ledger = ledger;
        this.objects = objects;
        this.models = models;
        this.guard = guard;
        this.config = config;
        this.metrics = metrics;
        this.backoff = config.retry().backoff();
        this.resampler = new Resampler(config.resampleThreads());
    }

    /** Claims the named plane task and runs it; empty when it is not PENDING. */
    public Optional<RunOutcome> claimAndRun(UUID taskId, String worker) {
        return ledger.lifecycle().claim(taskId, worker, guard.leaseSeconds()).map(this::run);
    }

    /** @param task a PLANE task this worker has just claimed */
    public RunOutcome run(Task task) {
        RunOutcome outcome = guard.runInScratch(task, "plane", config.testDelayAfterClaim(), this::process);
        metrics.counter("triplane.gpu.plane_tasks", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        LOG.infof("plane task %s (scan %s, %s, attempt %d): %s", task.id(), task.scanId(), task.plane(), task.attempt(), outcome);
        return outcome;
    }

    private RunOutcome process(Task task, ScratchDir work, LeaseKeeper lease) throws IOException {
        GpuLedger.InferenceInput in = backoff.call("read plane task " + task.id(), () -> ledger.inferenceInput(task));
        Plane plane = Plane.valueOf(task.plane().name());
        long t0 = System.nanoTime();
        String volumeKey = ObjectKeys.preprocessed(task.tenantId(), task.scanId());
        Volume windowed = Volumes.fetchUInt8(objects, backoff, volumeKey, work.resolve("windowed.nii.gz"), null);
        long t1 = System.nanoTime();
        ModelCache.Opened model = models.open(in.model());
        long t2 = System.nanoTime();
        PlaneInference.Result result = new PlaneInference(model.grid(), resampler).infer(model.predictor(),
                org.triplane.imaging.plane.Plane.valueOf(plane.name()), ScanVolumes.unlabelled(volumeKey, windowed),
                config.batchSize());
        long t3 = System.nanoTime();
        Path labels = work.resolve("labels.nii.gz");
        Path confidence = work.resolve("confidence.nii.gz");
        NiftiWriter.write(result.prediction().labels(), labels);
        NiftiWriter.write(result.prediction().confidence(), confidence);
        String labelsKey = ObjectKeys.planeLabels(task.tenantId(), task.jobId(), task.scanId(), plane);
        String confidenceKey = ObjectKeys.planeConfidence(task.tenantId(), task.jobId(), task.scanId(), plane);
        backoff.run("upload " + labelsKey, () -> objects.upload(labels, labelsKey, VOLUME_CONTENT_TYPE));
        backoff.run("upload " + confidenceKey, () -> objects.upload(confidence, confidenceKey, VOLUME_CONTENT_TYPE));
        long t4 = System.nanoTime();
        if (lease.lost()) {
            return RunOutcome.LEASE_LOST;
        }
        String timings = String.format(Locale.ROOT,
                "{\"download_s\":%.3f,\"load_model_s\":%.3f,\"infer_s\":%.3f,\"upload_s\":%.3f,\"network_s\":%.3f,"
                        + "\"slices\":%d,\"slices_per_s\":%.2f,\"batch_size\":%d,\"model_id\":\"%s\"}",
                s(t1 - t0), s(t2 - t1), s(t3 - t2), s(t4 - t3), result.stats().seconds(), result.stats().slices(),
                result.stats().slicesPerSecond(), result.stats().batchSize(), in.model().id());
        metrics.counter("triplane.gpu.slices").increment(result.stats().slices());
        try {
            backoff.call("complete plane task " + task.id(),
                    () -> ledger.completePlane(task, in.model(), result.stats().device(), timings));
        } catch (OptimisticLockException | IllegalStateException e) {
            // why: the task changed under us (reclaimed and redone, or finished by a retried commit)
            LOG.infof("plane task %s: not completed by this run: %s", task.id(), e.getMessage());
            return RunOutcome.LEASE_LOST;
        }
        return RunOutcome.SUCCEEDED;
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
