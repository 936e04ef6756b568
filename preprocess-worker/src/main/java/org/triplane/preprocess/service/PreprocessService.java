package org.triplane.preprocess.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.Task;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.LeaseKeeper;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.RunOutcome;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;
import org.triplane.worker.storage.ScratchDir;
import org.triplane.worker.storage.Transfers;
import org.triplane.worker.storage.VolumeObjects;

/**
 * Runs one claimed preprocess task: download the CT and the scan's transform when it has one,
 * verify their SHA-256 against the scan record, register the atlas to the CT as acquired
 * ({@link ScanAlignment}: the scan's own transform wins, else the registration's rotation is
 * used and stored as a transform file under {@link ObjectKeys#derivedTransform}), rotate + window
 * to one byte per voxel, upload under the scan's deterministic {@link ObjectKeys#preprocessed} key
 * (a redo overwrites), then complete in one transaction (derived transform on the scan record,
 * the registration row, plane tasks). The lease is heartbeated throughout.
 *
 * <p>For a job that predicts (SEGMENT, EVALUATE) the registration also yields, on the rotated and
 * the acquired grid, the scan's intracranial mask ({@link ObjectKeys#intracranialMaskRotated},
 * {@link ObjectKeys#intracranialMaskAcquired}), which the gpu- and fusion-worker apply to every
 * label volume they store, and the atlas method's prediction ({@link ObjectKeys#atlasLabels},
 * {@link ObjectKeys#atlasLabelsAcquired}), stored beside where the planes' predictions will be.
 */
@ApplicationScoped
public class PreprocessService {
    private static final Logger LOG = Logger.getLogger(PreprocessService.class);
    static final String VOLUME_CONTENT_TYPE = "application/gzip";
    static final String TRANSFORM_CONTENT_TYPE = "text/plain";

    private final TaskLedger ledger;
    private final ObjectStore objects;
    private final TaskGuard guard;
    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final WindowedVolumeMaker maker;
    private final ScanAlignment alignment;
    private final AtlasOutputs atlasOutputs;
    private final VolumeObjects volumes;
    /** why one thread: the windowed volume is the one upload that overlaps with computing. */
    private final Transfers transfers = new Transfers(1, "preprocess-transfer");

    public PreprocessService(TaskLedger ledger, ObjectStore objects, TaskGuard guard, WorkerConfig config,
                             WorkerIdentity identity, MeterRegistry metrics) {
        this.ledger = ledger;
        this.objects = objects;
        this.guard = guard;
        this.config = config;
        this.identity = identity;
        this.metrics = metrics;
        this.backoff = config.retry().backoff();
        this.volumes = new VolumeObjects(objects, backoff);
        this.maker = new WindowedVolumeMaker(config.resampleThreads());
        this.atlasOutputs = new AtlasOutputs(config.registrationThreads());
        this.alignment = new ScanAlignment(new AtlasRegistration(RegistrationSettings.builder()
                .setThreads(config.registrationThreads()).optMinQuality(config.registrationMinQuality()).build()),
                config.registrationDeformable()
                        ? new DeformableRegistration(DeformableRegistration.Settings.defaults(config.registrationThreads()))
                        : null);
    }

    /** Claims the named task and runs it; empty when it is not PENDING. */
    public Optional<RunOutcome> claimAndRun(UUID taskId) {
        return guard.claim(taskId, identity.id()).map(this::run);
    }

    /**
     * @param task a task this worker has just claimed (RUNNING, its lease)
     * @return how the run ended; never throws for poison or transient failures (see {@link TaskGuard})
     */
    public RunOutcome run(Task task) {
        RunOutcome outcome = guard.runInScratch(task, "preprocess", config.testDelayAfterClaim(), this::process);
        metrics.counter("triplane.preprocess.tasks", "outcome", outcome.name().toLowerCase()).increment();
        LOG.infof("task %s (scan %s, attempt %d): %s", task.id(), task.scanId(), task.attempt(), outcome);
        return outcome;
    }

    private RunOutcome process(Task task, ScratchDir work, LeaseKeeper lease) throws IOException {
        Scan scan = backoff.call("read scan " + task.scanId(), () -> ledger.scanOf(task));
        Window window = ScanRecords.window(scan.window());
        Path ctFile = work.resolve("ct.nii.gz");
        Path transformFile = work.resolve("transform.txt");
        long t0 = System.nanoTime();
        fetchVerified(scan.ct(), ctFile, "CT");
        AffineTransform own = null;
        if (scan.transformFile() != null) {
            fetchVerified(scan.transformFile(), transformFile, "transform file");
            own = WindowedVolumeMaker.readTransform(transformFile);
        }
        long t1 = System.nanoTime();
        Volume ct = WindowedVolumeMaker.readCt(ctFile);
        ScanAlignment.Alignment aligned = alignment.align(ct, "scan " + scan.id() + " (" + scan.ct().key() + ")", own,
                scan.transformOrigin());
        long t2 = System.nanoTime();
        Volume windowed = maker.make(ct, aligned.rotation(), window);
        String key = ObjectKeys.preprocessed(task.tenantId(), task.scanId());
        // why: encoded and uploaded on a transfer thread while the masks and the atlas method's labels are computed
        Transfers.Pending<Void> windowedUpload = transfers.start(() -> {
            volumes.store(windowed, work.resolve("windowed-u8.tpvol"), key);
            return null;
        });
        long t3 = System.nanoTime();
        long t4;
        TaskLedger.DerivedTransform derived;
        try {
            boolean predicts = backoff.call("read job " + task.jobId(), () -> ledger.predicts(task));
            AtlasOutputs.Outputs atlas = predicts ? atlasOutputs.of(ct, aligned) : null;
            t4 = System.nanoTime();
            derived = own == null ? storeDerived(task, aligned, transformFile) : null;
            if (atlas != null) {
                storeAtlasOutputs(task, atlas, work);
            }
        } catch (RuntimeException e) {
            Transfers.finish(windowedUpload);
            throw e;
        }
        windowedUpload.await();
        long t5 = System.nanoTime();
        Timings timings = new Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
        record(timings);
        if (lease.lost()) {
            return RunOutcome.LEASE_LOST;
        }
        try {
            backoff.call("complete task " + task.id(),
                    () -> ledger.complete(task, key, ScanRecords.geometry(windowed.geometry()), scan.window(), timings,
                            derived, ScanRecords.registration(task.tenantId(), task.scanId(), aligned)));
        } catch (OptimisticLockException | IllegalStateException e) {
            // why: the task changed under us (reclaimed and redone, or finished by a retried commit)
            LOG.infof("task %s: not completed by this run: %s", task.id(), e.getMessage());
            return RunOutcome.LEASE_LOST;
        }
        return RunOutcome.SUCCEEDED;
    }

    /**
     * Writes the derived rotation as an ITK transform file and uploads it under the scan's
     * deterministic {@link ObjectKeys#derivedTransform} key (a redo overwrites it with the same
     * bytes); the scan record names it only when the task completes.
     */
    private TaskLedger.DerivedTransform storeDerived(Task task, ScanAlignment.Alignment aligned, Path file) {
        String key = ObjectKeys.derivedTransform(task.tenantId(), task.scanId());
        try {
            ItkTransformFile.write(aligned.rotation(), file);
            StoredObject object = new StoredObject(key, Sha256.of(file), Files.size(file));
            backoff.run("upload " + key, () -> objects.put(key, file, TRANSFORM_CONTENT_TYPE));
            return new TaskLedger.DerivedTransform(object, ScanRecords.transform(aligned.rotation()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the derived transform " + file, e);
        }
    }

    /**
     * Uploads the masks and the atlas method's prediction under their deterministic keys (a redo
     * overwrites them with the same bytes), the masks first: a label volume is never stored
     * before the mask it was cleared by.
     */
    private void storeAtlasOutputs(Task task, AtlasOutputs.Outputs atlas, ScratchDir work) {
        volumes.store(atlas.maskRotated(), work.resolve("mask-rotated.tpvol"),
                ObjectKeys.intracranialMaskRotated(task.tenantId(), task.scanId()));
        volumes.store(atlas.maskAcquired(), work.resolve("mask-acquired.tpvol"),
                ObjectKeys.intracranialMaskAcquired(task.tenantId(), task.scanId()));
        upload(atlas.atlasRotated(), work.resolve("atlas-rotated.nii.gz"),
                ObjectKeys.atlasLabels(task.tenantId(), task.jobId(), task.scanId()));
        upload(atlas.atlasAcquired(), work.resolve("atlas-acquired.nii.gz"),
                ObjectKeys.atlasLabelsAcquired(task.tenantId(), task.jobId(), task.scanId()));
    }

    private void upload(Volume volume, Path file, String key) {
        WindowedVolumeMaker.write(volume, file);
        backoff.run("upload " + key, () -> objects.put(key, file, VOLUME_CONTENT_TYPE));
    }

    private void fetchVerified(StoredObject object, Path target, String what) {
        backoff.run("download " + object.key(), () -> objects.download(object.key(), target));
        String actual;
        try {
            actual = Sha256.of(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!actual.equals(object.sha256())) {
            throw new PoisonInputException(what + " " + object.key() + " has SHA-256 " + actual + " but the scan record says "
                    + object.sha256() + "; the object was changed or corrupted after upload, upload the scan again");
        }
    }

    private void record(Timings t) {
        metrics.timer("triplane.preprocess.phase", "phase", "download").record(t.downloadMs(), TimeUnit.MILLISECONDS);
        metrics.timer("triplane.preprocess.phase", "phase", "register").record(t.registerMs(), TimeUnit.MILLISECONDS);
        metrics.timer("triplane.preprocess.phase", "phase", "rotate_window").record(t.rotateWindowMs(), TimeUnit.MILLISECONDS);
        metrics.timer("triplane.preprocess.phase", "phase", "mask_atlas").record(t.maskAtlasMs(), TimeUnit.MILLISECONDS);
        metrics.timer("triplane.preprocess.phase", "phase", "upload").record(t.uploadMs(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        transfers.close();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
