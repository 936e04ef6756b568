package org.triplane.gpu.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.tasks.Task;
import org.triplane.events.ObjectKeys;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.gpu.device.DeviceGate;
import org.triplane.gpu.device.DeviceTimings;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.mask.IntracranialMask;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.pipeline.PlaneInference;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.LeaseKeeper;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.RunOutcome;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.storage.ScratchDir;
import org.triplane.worker.storage.Transfers;
import org.triplane.worker.storage.VolumeObjects;

/**
 * Runs one claimed plane task: the job's model for the plane (cached); the scan's preprocessed volume
 * (fetched ahead while the task before ran, {@link VolumePrefetch}, or now), with its event's map to the
 * atlas when it has one (a model grid in atlas space reaches the scan through it, and the task is poison
 * without it); batched slice inference on the model grid in the worker's precision and batch size
 * ({@link org.triplane.gpu.device.InferencePlan}); labels and confidence back on the scan's rotated grid
 * (two uint8 volumes, x fastest), the labels cleared outside the scan's intracranial mask (stored by its
 * preprocessing with the registration; {@link IntracranialMask#clearOutside}), stored under deterministic
 * keys (a redo overwrites); then completion with the plane-result event in one transaction.
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
    private final DeviceGate device;
    private final VolumePrefetch prefetch;
    private final VolumeObjects volumes;
    /** why two threads: the mask's fetch beside the network, the confidence's upload beside the labels'. */
    private final Transfers transfers = new Transfers(2, "plane-transfer");

    public InferenceService(GpuLedger ledger, ObjectStore objects, ModelCache models, TaskGuard guard, GpuWorkerConfig config,
                            MeterRegistry metrics, DeviceGate device, VolumePrefetch prefetch) {
        this.ledger = ledger;
        this.prefetch = prefetch;
        this.device = device;
        this.objects = objects;
        this.models = models;
        this.guard = guard;
        this.config = config;
        this.metrics = metrics;
        this.backoff = config.retry().backoff();
        this.volumes = new VolumeObjects(objects, backoff);
        this.resampler = new Resampler(config.resampleThreads());
    }

    /**
     * Claims the named plane task and runs it; empty when it is not PENDING.
     *
     * @param rotatedToAtlas the task event's map from the rotated scan to the atlas (12 numbers), or
     *                       {@code null} when the event has none
     */
    public Optional<RunOutcome> claimAndRun(UUID taskId, double[] rotatedToAtlas, String worker) {
        return guard.claim(taskId, worker).map(task -> run(task, rotatedToAtlas));
    }

    /**
     * @param task           a PLANE task this worker has just claimed
     * @param rotatedToAtlas its event's map from the rotated scan to the atlas, or {@code null}
     */
    public RunOutcome run(Task task, double[] rotatedToAtlas) {
        RunOutcome outcome = guard.runInScratch(task, "plane", config.testDelayAfterClaim(),
                (t, work, lease) -> process(t, rotatedToAtlas, work, lease));
        metrics.counter("triplane.gpu.plane_tasks", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        LOG.infof("plane task %s (scan %s, %s, attempt %d): %s", task.id(), task.scanId(), task.plane(), task.attempt(), outcome);
        return outcome;
    }

    private RunOutcome process(Task task, double[] rotatedToAtlas, ScratchDir work, LeaseKeeper lease) throws IOException {
        GpuLedger.InferenceInput in = backoff.call("read plane task " + task.id(), () -> ledger.inferenceInput(task));
        Plane plane = task.plane();
        // why: checked before the weights are fetched; without the map the model grid cannot be placed on the scan
        if (rotatedToAtlas == null && ModelCache.gridOf(in.model()).atlasPlaced()) {
            throw new PoisonInputException("plane task " + task.id() + " (" + plane.wireName() + ") of scan " + task.scanId()
                    + " carries no atlas registration, and the model set " + in.model().modelSetId() + " takes atlas inputs: "
                    + "the model set " + in.model().modelSetId() + " needs the scan's atlas registration; re-run preprocessing "
                    + "on scan " + task.scanId() + " (submit the job again)");
        }
        AffineTransform toAtlas;
        try {
            toAtlas = rotatedToAtlas == null ? null : AtlasMaps.of(rotatedToAtlas);
        } catch (IllegalArgumentException e) {
            throw new PoisonInputException("plane task " + task.id() + " of scan " + task.scanId() + ": " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        String volumeKey = ObjectKeys.preprocessed(task.tenantId(), task.scanId());
        Optional<VolumePrefetch.Prefetched> prefetched = prefetch.take(task.id(), volumeKey);
        Volume windowed = prefetched.isPresent() ? prefetched.get().volume()
                : Volumes.windowed(volumes, task.scanId(), volumeKey, work.resolve("windowed.tpvol"));
        long t1 = System.nanoTime();
        ModelCache.Opened model = models.open(in.model());
        long t2 = System.nanoTime();
        ScanVolumes scan = ScanVolumes.unlabelled(volumeKey, windowed);
        if (toAtlas != null) {
            scan = scan.withToAtlas(toAtlas);
        }
        if (model.grid().deformableAtlas()) {
            scan = scan.withAtlasWarp(AtlasMaps.warpOf(in.registration(), "plane task " + task.id() + " of scan "
                    + task.scanId() + ": the model set " + in.model().modelSetId()));
        }
        UNetConfig network = model.predictor().config();
        int[] slice = model.grid().paddedSliceSize(plane, network.depth());
        int batchSize = device.plan().batchSize(network, slice[0], slice[1]);
        // why: the mask is fetched and decoded on a transfer thread while the network runs
        Transfers.Pending<Volume> maskFetch = rotatedToAtlas == null ? null : transfers.start(() -> mask(task, work));
        PlaneInference.Result result;
        try {
            result = new PlaneInference(model.grid(), resampler).infer(model.predictor(), plane, scan, batchSize);
        } catch (RuntimeException e) {
            Transfers.finish(maskFetch);
            throw e;
        }
        if (maskFetch != null) {
            IntracranialMask.clearOutside(maskFetch.await(), result.prediction().labels());
        }
        long t3 = System.nanoTime();
        String labelsKey = ObjectKeys.planeLabels(task.tenantId(), task.jobId(), task.scanId(), plane);
        String confidenceKey = ObjectKeys.planeConfidence(task.tenantId(), task.jobId(), task.scanId(), plane);
        // why: both volumes encoded and uploaded at once, one on a transfer thread
        Transfers.Pending<Void> confidenceUpload = transfers.start(() -> {
            upload(result.prediction().confidence(), work.resolve("confidence.nii.gz"), confidenceKey);
            return null;
        });
        try {
            upload(result.prediction().labels(), work.resolve("labels.nii.gz"), labelsKey);
        } catch (IOException | RuntimeException e) {
            Transfers.finish(confidenceUpload);
            throw e;
        }
        confidenceUpload.await();
        long t4 = System.nanoTime();
        if (lease.lost()) {
            return RunOutcome.LEASE_LOST;
        }
        String timings = String.format(Locale.ROOT,
                "{\"download_s\":%.3f,\"load_model_s\":%.3f,\"infer_s\":%.3f,\"upload_s\":%.3f,\"network_s\":%.3f,"
                        + "\"slices\":%d,\"slices_per_s\":%.2f,\"batch_size\":%d,\"precision\":\"%s\",\"model_id\":\"%s\",%s}",
                s(t1 - t0), s(t2 - t1), s(t3 - t2), s(t4 - t3), result.stats().seconds(), result.stats().slices(),
                result.stats().slicesPerSecond(), result.stats().batchSize(), result.stats().precision(), in.model().id(),
                prefetched.map(p -> String.format(Locale.ROOT, "\"prefetched\":true,\"prefetch_s\":%.3f,\"prefetched_at\":\"%s\"",
                        p.seconds(), p.readyAt())).orElse("\"prefetched\":false"));
        metrics.counter("triplane.gpu.slices").increment(result.stats().slices());
        try {
            backoff.call("complete plane task " + task.id(),
                    () -> ledger.completePlane(task, in.model(), result.stats().device(),
                            DeviceTimings.of(timings, device.status())));
        } catch (OptimisticLockException | IllegalStateException e) {
            // why: the task changed under us (reclaimed and redone, or finished by a retried commit)
            LOG.infof("plane task %s: not completed by this run: %s", task.id(), e.getMessage());
            return RunOutcome.LEASE_LOST;
        }
        return RunOutcome.SUCCEEDED;
    }

    /**
     * The scan's intracranial mask on the rotated grid, stored by its preprocessing with the
     * registration the event's atlas map comes from: no label is stored outside it.
     *
     * @throws PoisonInputException when it is missing (the scan was preprocessed before masks were made)
     */
    private Volume mask(Task task, ScratchDir work) {
        String key = ObjectKeys.intracranialMaskRotated(task.tenantId(), task.scanId());
        return volumes.fetchUInt8(key, work.resolve("intracranial-mask.tpvol")).orElseThrow(() -> new PoisonInputException(
                "scan " + task.scanId() + " has an atlas registration but no intracranial mask at " + key
                        + "; re-run preprocessing on scan " + task.scanId() + " (submit the job again)"));
    }

    /** Writes {@code volume} as gzip NIfTI-1 (a user fetches it) and uploads it under {@code key}. */
    private void upload(Volume volume, Path file, String key) throws IOException {
        NiftiWriter.write(volume, file);
        backoff.run("upload " + key, () -> objects.put(key, file, VOLUME_CONTENT_TYPE));
    }

    @PreDestroy
    void stop() {
        transfers.close();
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
