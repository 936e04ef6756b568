package org.triplane.fusion.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.scans.Scan;
import org.triplane.db.tasks.Task;
import org.triplane.events.ObjectKeys;
import org.triplane.events.ResultKeys;
import org.triplane.fusion.config.FusionWorkerConfig;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.labels.ViewerLabelTable;
import org.triplane.imaging.metrics.EvaluationSummary;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.LeaseKeeper;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.RunOutcome;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.storage.ScratchDir;
import org.triplane.worker.storage.Transfers;
import org.triplane.worker.storage.VolumeObjects;

/**
 * Runs one claimed FUSION task: the three plane predictions (labels on the rotated grid, and their
 * confidence only for a vote that weighs it), the atlas method's prediction and the scan's intracranial masks (both stored by its
 * preprocessing), the scan's transform file and CT (checked against the scan record's SHA-256)
 * and, when present, its reference labels; the vote the job asks for (the atlas as a fourth
 * voter with {@code fusionAtlasVoter}; the learned vote with its model set's fusion weights, which
 * never change, so a redo votes the same); the fused labels, cleared outside the mask, stored on
 * the rotated and on the acquired grid under deterministic keys (a redo overwrites with the same
 * bytes), with the viewers' label tables beside them and beside the planes' and the atlas method's
 * labels; region statistics and metrics (each plane, the atlas method, the fused result); then
 * everything recorded in one transaction. A task whose scan already has a result only completes:
 * a finished result is never recomputed or changed.
 */
@ApplicationScoped
public class FusionService {
    private static final Logger LOG = Logger.getLogger(FusionService.class);
    private static final String VOLUME_CONTENT_TYPE = "application/gzip";
    private static final String TABLE_CONTENT_TYPE = "text/plain; charset=us-ascii";
    /**
     * Objects fetched at once: a fusion task reads about ten and spends most of that time waiting on the
     * object store; four overlap those waits and keep two cores decoding.
     */
    private static final int TRANSFER_THREADS = 4;

    private final FusionLedger ledger;
    private final ObjectStore objects;
    private final TaskGuard guard;
    private final FusionWorkerConfig config;
    private final MeterRegistry metrics;
    private final FusionSlot slot;
    private final Backoff backoff;
    private final Downloads downloads;
    private final VolumeObjects volumes;
    private final Transfers transfers = new Transfers(TRANSFER_THREADS, "fusion-transfer");
    private final ScanFusion fusion;

    public FusionService(FusionLedger ledger, ObjectStore objects, TaskGuard guard, FusionWorkerConfig config,
                         MeterRegistry metrics, FusionSlot slot) {
        this.ledger = ledger;
        this.objects = objects;
        this.guard = guard;
        this.config = config;
        this.metrics = metrics;
        this.slot = slot;
        this.backoff = config.retry().backoff();
        this.downloads = new Downloads(objects, backoff);
        this.volumes = new VolumeObjects(objects, backoff);
        this.fusion = new ScanFusion(config.threads());
    }

    /** Waits for this worker's fusion slot, then claims the named task and runs it; empty when it is not PENDING. */
    public Optional<RunOutcome> claimAndRun(UUID taskId, String worker) throws InterruptedException {
        slot.acquire();
        try {
            return guard.claim(taskId, worker).map(this::run);
        } finally {
            slot.release();
        }
    }

    /** @param task a FUSION task this worker has just claimed (call with the fusion slot held) */
    public RunOutcome run(Task task) {
        RunOutcome outcome = guard.runInScratch(task, "fusion", config.testDelayAfterClaim(), this::process);
        metrics.counter("triplane.fusion.tasks", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
        LOG.infof("fusion task %s (job %s, scan %s, attempt %d): %s", task.id(), task.jobId(), task.scanId(), task.attempt(),
                outcome);
        return outcome;
    }

    private RunOutcome process(Task task, ScratchDir work, LeaseKeeper lease) throws IOException {
        long t0 = System.nanoTime();
        FusionLedger.FusionInput in = backoff.call("read fusion task " + task.id(), () -> ledger.input(task));
        if (in.jobEnded()) {
            return cancel(task, "job is " + in.job().state() + ": nothing to fuse for");
        }
        if (in.resultRecorded()) {
            // why: a finished scan's result never changes; only the task is completed
            return complete(task, lease, new FusionLedger.FusionRecord(null, List.of(),
                    String.format(Locale.ROOT, "{\"total_s\":%.3f,\"skipped\":\"result already recorded\"}", s(System.nanoTime() - t0)),
                    "result already recorded"));
        }
        Scan scan = in.scan();
        if (scan.transformFile() == null) {
            throw new PoisonInputException("scan " + scan.id() + " has no transform file (neither uploaded nor derived by "
                    + "its preprocessing); preprocess the scan again");
        }
        boolean labelled = scan.labels() != null;
        if (labelled && in.job().modelSetId() == null) {
            throw new PoisonInputException("job " + in.job().id() + " names no model set; per-class metrics are recorded per"
                    + " model set, submit the job with the model set its planes were predicted by");
        }
        // why: every object is fetched and decoded at once on the transfer threads, the largest (the CT) first;
        // the planes' confidence only for a vote that weighs it
        boolean weighed = in.rule().method().weighsConfidence();
        Transfers.Pending<Volume> ctFetch = transfers.start(() ->
                downloads.verifiedVolume(scan.ct(), work.resolve("ct.nii.gz"), "CT"));
        Transfers.Pending<PlanePrediction> axialFetch = transfers.start(() -> prediction(task, Plane.AXIAL, weighed, work));
        Transfers.Pending<PlanePrediction> coronalFetch = transfers.start(() -> prediction(task, Plane.CORONAL, weighed, work));
        Transfers.Pending<PlanePrediction> sagittalFetch = transfers.start(() -> prediction(task, Plane.SAGITTAL, weighed, work));
        Transfers.Pending<Volume> atlasFetch = transfers.start(() -> preprocessed(task,
                ObjectKeys.atlasLabels(task.tenantId(), task.jobId(), task.scanId()), work.resolve("atlas-labels.nii.gz"),
                "the atlas method's prediction"));
        Transfers.Pending<Volume> maskRotatedFetch = transfers.start(() -> mask(task,
                ObjectKeys.intracranialMaskRotated(task.tenantId(), task.scanId()), work.resolve("mask-rotated.tpvol"),
                "the intracranial mask on the rotated grid"));
        Transfers.Pending<Volume> maskAcquiredFetch = transfers.start(() -> mask(task,
                ObjectKeys.intracranialMaskAcquired(task.tenantId(), task.scanId()), work.resolve("mask-acquired.tpvol"),
                "the intracranial mask on the acquired grid"));
        Transfers.Pending<AffineTransform> transformFetch = transfers.start(() ->
                downloads.verifiedTransform(scan.transformFile(), work.resolve("transform.txt")));
        Transfers.Pending<Volume> referenceFetch = labelled ? transfers.start(() -> Downloads.requireUInt8(
                downloads.verifiedVolume(scan.labels(), work.resolve("reference.nii.gz"), "label volume"), scan.labels().key()))
                : null;
        Transfers.settle(ctFetch, axialFetch, coronalFetch, sagittalFetch, atlasFetch, maskRotatedFetch, maskAcquiredFetch,
                transformFetch, referenceFetch);
        PlanePrediction axial = axialFetch.await();
        PlanePrediction coronal = coronalFetch.await();
        PlanePrediction sagittal = sagittalFetch.await();
        Volume atlas = atlasFetch.await();
        ScanFusion.Masks masks = new ScanFusion.Masks(maskRotatedFetch.await(), maskAcquiredFetch.await());
        AffineTransform transform = transformFetch.await();
        Volume ct = ctFetch.await();
        Volume reference = labelled ? referenceFetch.await() : null;
        long t1 = System.nanoTime();
        ScanFusion.Outputs out;
        try {
            out = fusion.run(in.rule(), new ScanFusion.Inputs(axial, coronal, sagittal, ct, transform, reference, atlas, masks));
        } catch (IllegalArgumentException e) {
            throw new PoisonInputException("scan " + scan.id() + " cannot be fused: " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        String rotatedKey = ObjectKeys.fusedLabelsRotated(task.tenantId(), task.jobId(), task.scanId());
        String acquiredKey = ObjectKeys.fusedLabelsAcquired(task.tenantId(), task.jobId(), task.scanId());
        upload(out.fused().labels(), work.resolve("fused-rotated.nii.gz"), rotatedKey);
        upload(out.acquired(), work.resolve("fused-acquired.nii.gz"), acquiredKey);
        uploadLabelTables(task, work);
        long t3 = System.nanoTime();

        double acquiredVoxelMl = EvaluationSummary.voxelMl(ct.geometry());
        double rotatedVoxelMl = EvaluationSummary.voxelMl(out.fused().labels().geometry());
        List<ClassMetric> rows = MetricRows.of(task.tenantId(), task.jobId(), task.scanId(), in.job().modelSetId(),
                out.confusions(), rotatedVoxelMl);
        FusedResult result = new FusedResult(task.tenantId(), task.jobId(), task.scanId(), in.job().modelSetId(), acquiredKey,
                rotatedKey, ResultDocuments.planeKeys(task.tenantId(), task.jobId(), task.scanId()), in.rule().name(),
                ResultDocuments.regionStatistics(out.regions(), acquiredVoxelMl),
                ResultDocuments.evaluation(out.confusions(), rotatedVoxelMl), null);
        String timings = timings(out.seconds(), s(t1 - t0), s(t3 - t2), s(System.nanoTime() - t0));
        record(out.seconds(), s(t1 - t0), s(t3 - t2));
        return complete(task, lease, new FusionLedger.FusionRecord(result, rows, timings,
                ResultDocuments.summary(in.rule().name(), out.confusions(), out.regions())));
    }

    private RunOutcome complete(Task task, LeaseKeeper lease, FusionLedger.FusionRecord record) {
        if (lease.lost()) {
            return RunOutcome.LEASE_LOST;
        }
        FusionLedger.Completion done;
        try {
            done = backoff.call("complete fusion task " + task.id(), () -> ledger.complete(task, record));
        } catch (OptimisticLockException | IllegalStateException e) {
            // why: the task changed under us (reclaimed and redone, or finished by a retried commit)
            LOG.infof("fusion task %s: not completed by this run: %s", task.id(), e.getMessage());
            return RunOutcome.LEASE_LOST;
        }
        metrics.counter("triplane.fusion.completions", "completion", done.name().toLowerCase(Locale.ROOT)).increment();
        return done == FusionLedger.Completion.CANCELLED ? RunOutcome.FAILED : RunOutcome.SUCCEEDED;
    }

    private RunOutcome cancel(Task task, String reason) {
        try {
            backoff.run("cancel fusion task " + task.id(), () -> ledger.cancel(task, reason));
        } catch (OptimisticLockException | IllegalStateException e) {
            return RunOutcome.LEASE_LOST;
        }
        LOG.infof("fusion task %s cancelled: %s", task.id(), reason);
        return RunOutcome.FAILED;
    }

    /** One plane's labels, and its confidence when {@code weighed}. */
    private PlanePrediction prediction(Task task, Plane plane, boolean weighed, ScratchDir work) throws IOException {
        String labelsKey = ObjectKeys.planeLabels(task.tenantId(), task.jobId(), task.scanId(), plane);
        Volume labels = downloads.uint8(labelsKey, work.resolve(plane.wireName() + "-labels.nii.gz"));
        Volume confidence = weighed ? downloads.uint8(ObjectKeys.planeConfidence(task.tenantId(), task.jobId(), task.scanId(),
                plane), work.resolve(plane.wireName() + "-confidence.nii.gz")) : null;
        try {
            return new PlanePrediction(plane, labels, confidence);
        } catch (IllegalArgumentException e) {
            throw new PoisonInputException(labelsKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * A uint8 volume the scan's preprocessing stored for this job or scan.
     *
     * @throws PoisonInputException when it is missing (preprocessed by a version that did not store it)
     */
    private Volume preprocessed(Task task, String key, Path target, String what) throws IOException {
        if (backoff.call("look up " + key, () -> objects.size(key)).isEmpty()) {
            throw missing(task, key, what);
        }
        return downloads.uint8(key, target);
    }

    /**
     * One of the scan's intracranial masks, a volume object its preprocessing stored.
     *
     * @throws PoisonInputException when it is missing (preprocessed by a version that did not store it)
     */
    private Volume mask(Task task, String key, Path target, String what) {
        return volumes.fetchUInt8(key, target).orElseThrow(() -> missing(task, key, what));
    }

    private static PoisonInputException missing(Task task, String key, String what) {
        return new PoisonInputException("scan " + task.scanId() + ": " + what + " is missing at " + key
                + "; re-run preprocessing on scan " + task.scanId() + " (submit the job again)");
    }

    private void upload(Volume v, Path file, String key) throws IOException {
        NiftiWriter.write(v, file);
        backoff.run("upload " + key, () -> objects.put(key, file, VOLUME_CONTENT_TYPE));
    }

    /**
     * The viewers' label tables beside every label volume of the scan's result
     * ({@link ResultKeys#labelVolumes}); the same text for each, so a redo writes the same bytes.
     */
    private void uploadLabelTables(Task task, ScratchDir work) throws IOException {
        for (ViewerLabelTable table : ViewerLabelTable.values()) {
            Path file = work.resolve("labels" + table.suffix());
            Files.writeString(file, table.text(), StandardCharsets.US_ASCII);
            for (ResultKeys.LabelVolume v : ResultKeys.labelVolumes(task.tenantId(), task.jobId(), task.scanId())) {
                String key = ObjectKeys.labelTable(v.key(), table.suffix());
                backoff.run("upload " + key, () -> objects.put(key, file, TABLE_CONTENT_TYPE));
            }
        }
    }

    private String timings(Map<String, Double> compute, double download, double upload, double total) {
        StringBuilder b = new StringBuilder("{");
        b.append(String.format(Locale.ROOT, "\"download_s\":%.3f", download));
        compute.forEach((k, v) -> b.append(String.format(Locale.ROOT, ",\"%s\":%.3f", k, v)));
        b.append(String.format(Locale.ROOT, ",\"upload_s\":%.3f,\"total_s\":%.3f,\"threads\":%d}", upload, total,
                config.threads()));
        return b.toString();
    }

    private void record(Map<String, Double> compute, double download, double upload) {
        metrics.timer("triplane.fusion.phase", "phase", "download").record((long) (download * 1e3), TimeUnit.MILLISECONDS);
        compute.forEach((k, v) -> metrics.timer("triplane.fusion.phase", "phase", k.replace("_s", ""))
                .record((long) (v * 1e3), TimeUnit.MILLISECONDS));
        metrics.timer("triplane.fusion.phase", "phase", "upload").record((long) (upload * 1e3), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        transfers.close();
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
