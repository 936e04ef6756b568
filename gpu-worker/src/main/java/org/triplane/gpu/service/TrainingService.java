package org.triplane.gpu.service;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.models.Model;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.scans.Scan;
import org.triplane.db.tasks.Task;
import org.triplane.events.ObjectKeys;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.gpu.device.DeviceGate;
import org.triplane.gpu.device.DeviceStatus;
import org.triplane.gpu.device.DeviceTimings;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.plane.Plane;
import org.triplane.objectstore.ObjectStore;
import org.triplane.segmentation.infer.Precision;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.Volume;
import org.triplane.segmentation.data.ScanSplit;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.pipeline.PlaneTraining;
import org.triplane.segmentation.train.EpochReport;
import org.triplane.segmentation.train.TrainingOutcome;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.LeaseKeeper;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.RunOutcome;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.TestPause;
import org.triplane.worker.storage.ScratchDir;
import org.triplane.worker.storage.VolumeObjects;

/**
 * Runs one claimed TRAIN task: the job's labelled scans (preprocessed volumes and labels, checked
 * against the scan records) are split by scan, the plane's network is trained on the model grid,
 * every epoch goes to Postgres as it ends and its checkpoint to the object store (a task killed
 * mid-way resumes from there), and the best epoch's weights are registered as the plane's model.
 */
@ApplicationScoped
public class TrainingService {
    private static final Logger LOG = Logger.getLogger(TrainingService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GpuLedger ledger;
    private final ObjectStore objects;
    private final TaskGuard guard;
    private final GpuWorkerConfig config;
    private final WorkDir workDir;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final VolumeObjects volumes;
    private final Resampler resampler;
    private final DeviceGate device;

    public TrainingService(GpuLedger ledger, ObjectStore objects, TaskGuard guard, GpuWorkerConfig config, WorkDir workDir,
                           MeterRegistry metrics, DeviceGate device) {
        this.ledger = ledger;
        this.device = device;
        this.objects = objects;
        this.guard = guard;
        this.config = config;
        this.workDir = workDir;
        this.metrics = metrics;
        this.backoff = config.retry().backoff();
        this.volumes = new VolumeObjects(objects, backoff);
        this.resampler = new Resampler(config.resampleThreads());
    }

    /** Claims the named TRAIN task and runs it; empty when it is not PENDING. */
    public Optional<RunOutcome> claimAndRun(UUID taskId, String worker) {
        return guard.claim(taskId, worker).map(this::run);
    }

    /** @param task a TRAIN task this worker has just claimed */
    public RunOutcome run(Task task) {
        RunOutcome outcome = guard.runInScratch(task, "train", config.testDelayAfterClaim(), this::processUntilLeaseLost);
        metrics.counter("triplane.gpu.train_tasks", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        LOG.infof("train task %s (job %s, %s, attempt %d): %s", task.id(), task.jobId(), task.plane(), task.attempt(), outcome);
        return outcome;
    }

    /** {@link #process}, ended without a result when an epoch finds the lease taken ({@link LeaseLost}). */
    private RunOutcome processUntilLeaseLost(Task task, ScratchDir work, LeaseKeeper lease) throws IOException {
        try {
            return process(task, work, lease);
        } catch (LeaseLost e) {
            return RunOutcome.LEASE_LOST;
        }
    }

    private RunOutcome process(Task task, ScratchDir work, LeaseKeeper lease) throws IOException {
        long t0 = System.nanoTime();
        GpuLedger.TrainingInput in = backoff.call("read train task " + task.id(), () -> ledger.trainingInput(task));
        TrainingParameters parameters = TrainingParameters.parse(in.job().id().toString(), in.job().parametersJson());
        ScanSplit.Fold<Scan> split = split(task, in, parameters);
        requireRegistrations(in, parameters, split);
        List<ScanVolumes> training = fetch(split.train(), in, parameters, work);
        List<ScanVolumes> validation = fetch(split.validation(), in, parameters, work);
        long t1 = System.nanoTime();

        Plane plane = task.plane();
        Plane imagingPlane = plane;
        Path checkpoints = workDir.folder("training").resolve(task.id().toString());
        deleteRecursively(checkpoints);
        java.nio.file.Files.createDirectories(checkpoints);
        CheckpointSync sync = new CheckpointSync(objects, backoff,
                ObjectKeys.trainingCheckpoints(task.tenantId(), task.jobId(), plane, task.fold()));
        int resumedAfter = sync.restore(checkpoints);
        if (resumedAfter > 0) {
            LOG.infof("train task %s: resuming after epoch %d from the stored checkpoint", task.id(), resumedAfter);
        }
        DeviceStatus ranOn = device.status();
        Device runOn = ranOn.requireDevice();
        TrainingOutcome outcome;
        try {
            outcome = new PlaneTraining(parameters.grid(), resampler).train(parameters.network(),
                    parameters.settings(imagingPlane), imagingPlane, training, validation, runOn,
                    checkpoints, report -> afterEpoch(task, report, sync, checkpoints, lease));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new PoisonInputException("TRAIN job " + in.job().id() + ", " + plane.wireName() + ": " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();

        String weightsKey = ObjectKeys.modelWeights(in.set().id(), plane);
        Path weights = outcome.weights();
        backoff.run("upload " + weightsKey, () -> objects.put(weightsKey, weights, "application/octet-stream"));
        if (lease.lost()) {
            return RunOutcome.LEASE_LOST;
        }
        Model model = model(task, in, parameters, imagingPlane, split, outcome, weightsKey, Sha256.of(weights), (t2 - t1) / 1e9);
        String timings = String.format(Locale.ROOT,
                "{\"download_s\":%.3f,\"train_s\":%.3f,\"epochs\":%d,\"resumed_after_epoch\":%d,\"best_epoch\":%d,"
                        + "\"batch_size\":%d,\"precision\":\"%s\"}",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, outcome.history().size(), resumedAfter, outcome.bestEpoch(),
                parameters.batchSize(), Precision.FLOAT32.wireName());
        try {
            backoff.call("complete train task " + task.id(),
                    () -> ledger.completeTraining(task, model, ranOn.name(), DeviceTimings.of(timings, ranOn)));
        } catch (OptimisticLockException | IllegalStateException e) {
            LOG.infof("train task %s: not completed by this run: %s", task.id(), e.getMessage());
            return RunOutcome.LEASE_LOST;
        } finally {
            deleteRecursively(checkpoints);
        }
        return RunOutcome.SUCCEEDED;
    }

    private void afterEpoch(Task task, EpochReport r, CheckpointSync sync, Path checkpoints, LeaseKeeper lease) {
        List<Double> iou = Arrays.stream(r.classIoU()).boxed().toList();
        backoff.run("record epoch " + r.epoch(), () -> ledger.recordEpoch(new TrainingEpoch(task.id(), task.tenantId(),
                task.attempt(), r.epoch(), r.trainTversky(), r.trainCrossEntropy(), r.trainMse(), r.validationTversky(),
                r.validationCrossEntropy(), r.validationMse(), Double.isNaN(r.meanIoU()) ? null : r.meanIoU(), iou,
                r.seconds(), null)));
        try {
            sync.upload(checkpoints, r.epoch());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metrics.counter("triplane.gpu.epochs").increment();
        LOG.infof("train task %s: epoch %d, loss %.4f, validation mean IoU %.3f (%.1f s)", task.id(), r.epoch(),
                r.trainTversky(), r.meanIoU(), r.seconds());
        TestPause.after(config.testDelayAfterEpoch());
        if (lease.lost()) {
            // why: the sweeper gave the task to another worker; training on would race it
            throw new LeaseLost();
        }
    }

    /**
     * With atlas inputs every scan of the task's split needs its atlas registration, and its deformable
     * stage when the atlas inputs follow it.
     *
     * @throws PoisonInputException naming the job and the first scan without one
     */
    private static void requireRegistrations(GpuLedger.TrainingInput in, TrainingParameters parameters,
                                             ScanSplit.Fold<Scan> split) {
        if (!parameters.atlasInputs()) {
            return;
        }
        List<Scan> scans = new ArrayList<>(split.train());
        scans.addAll(split.validation());
        for (Scan scan : scans) {
            if (!in.registrations().containsKey(scan.id())) {
                throw new PoisonInputException("TRAIN job " + in.job().id() + ": scan " + scan.id() + " has no atlas registration, "
                        + "which inputs \"atlas\" needs for every scan; re-run preprocessing on it (submit the job again) "
                        + "or train with inputs \"midline\"");
            }
            if (parameters.grid().deformableAtlas()) {
                AtlasMaps.warpOf(in.registrations().get(scan.id()), "TRAIN job " + in.job().id() + " (scan " + scan.id() + ")");
            }
        }
    }

    /**
     * The scans' windowed volumes and labels; with atlas inputs each with its rotated grid's map to the
     * atlas from its registration ({@link #requireRegistrations} has checked that there is one).
     *
     * @throws PoisonInputException naming the scan when a volume is unusable
     */
    private List<ScanVolumes> fetch(List<Scan> scans, GpuLedger.TrainingInput in, TrainingParameters parameters,
                                    ScratchDir work) throws IOException {
        List<ScanVolumes> out = new ArrayList<>();
        for (Scan scan : scans) {
            Volume windowed = Volumes.windowed(volumes, scan.id(), ObjectKeys.preprocessed(scan.tenantId(), scan.id()),
                    work.resolve(scan.id() + "-windowed.tpvol"));
            Volume labels = Volumes.fetchUInt8(objects, backoff, scan.labels().key(),
                    work.resolve(scan.id() + "-labels.nii.gz"), scan.labels().sha256());
            try {
                ScanVolumes volumes = new ScanVolumes(scan.id().toString(), windowed, labels);
                if (parameters.atlasInputs()) {
                    volumes = volumes.withToAtlas(AtlasMaps.of(in.registrations().get(scan.id()).rotatedToAtlas()));
                }
                if (parameters.grid().deformableAtlas()) {
                    volumes = volumes.withAtlasWarp(AtlasMaps.warpOf(in.registrations().get(scan.id()),
                            "TRAIN job " + in.job().id()));
                }
                out.add(volumes);
            } catch (IllegalArgumentException e) {
                throw new PoisonInputException("scan " + scan.id() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * The task's split of the job's scans (in the job's order): the job's one train/validation split,
     * or for fold i of a k-fold job the i-th of {@link ScanSplit#kFold}, validating on that fold's scans.
     *
     * @throws PoisonInputException when the job's scans cannot be split so
     */
    private static ScanSplit.Fold<Scan> split(Task task, GpuLedger.TrainingInput in, TrainingParameters parameters) {
        String job = "TRAIN job " + in.job().id();
        Integer folds = parameters.folds();
        if (task.fold() == null) {
            if (folds != null) {
                throw new PoisonInputException(job + " has folds = " + folds + " but task " + task.id() + " has no fold");
            }
            if (in.scans().size() < parameters.validationScans() + 1) {
                throw new PoisonInputException(job + " has " + in.scans().size() + " scans; " + parameters.validationScans()
                        + " are held out for validation and at least one must remain to train on");
            }
            return ScanSplit.trainValidation(in.scans(), parameters.validationScans(), parameters.seed());
        }
        if (folds == null) {
            throw new PoisonInputException(job + ": task " + task.id() + " is fold " + task.fold()
                    + " but the job's parameters name no folds");
        }
        if (folds > in.scans().size()) {
            throw new PoisonInputException(job + ": folds = " + folds + " exceeds its " + in.scans().size()
                    + " scans; every fold needs at least one validation scan");
        }
        if (task.fold() > folds || !folds.equals(in.set().foldCount())) {
            throw new PoisonInputException(job + ": task " + task.id() + " is fold " + task.fold() + " and its model set "
                    + in.set().id() + " has " + in.set().foldCount() + " folds, but the job's parameters say folds = " + folds);
        }
        return ScanSplit.kFold(in.scans(), folds, parameters.seed()).get(task.fold() - 1);
    }

    private Model model(Task task, GpuLedger.TrainingInput in, TrainingParameters parameters,
                        Plane plane,
                        ScanSplit.Fold<Scan> split, TrainingOutcome outcome, String weightsKey, String weightsSha256,
                        double seconds) throws IOException {
        Map<String, Object> hyper = parameters.describe(plane);
        hyper.put("validationScanIds", split.validation().stream().map(s -> s.id().toString()).toList());
        hyper.put("trainingJobId", in.job().id().toString());
        if (task.fold() != null) {
            hyper.put("fold", task.fold());
        }
        EpochReport best = outcome.history().get(outcome.bestEpoch() - 1);
        Map<String, Object> validation = new LinkedHashMap<>();
        validation.put("bestEpoch", outcome.bestEpoch());
        validation.put("meanIoU", finite(outcome.bestMeanIoU()));
        validation.put("classIoU", Arrays.stream(best.classIoU()).mapToObj(TrainingService::finite).toList());
        validation.put("validationLoss", finite(best.validationTversky()));
        validation.put("resumedAfterEpoch", outcome.resumedAfterEpoch());
        int[] hw = parameters.grid().sliceSize(plane);
        double s = parameters.grid().spacingMm();
        return new Model(null, in.set().id(), plane,
                org.triplane.segmentation.model.UNetConfig.ARCHITECTURE, JSON.writeValueAsString(hyper),
                parameters.seed(), split.train().stream().map(Scan::id).toList(),
                split.train().stream().map(sc -> sc.ct().sha256()).toList(), List.of(s, s, s), List.of(hw[1], hw[0]),
                config.codeVersion(), seconds, JSON.writeValueAsString(validation), weightsKey, weightsSha256, null);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var s = java.nio.file.Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Thrown out of the epoch listener to stop a run whose lease another worker now holds. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }
}
