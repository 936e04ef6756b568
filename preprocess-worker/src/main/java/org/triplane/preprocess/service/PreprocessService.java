package org.triplane.preprocess.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.Scan;
import org.triplane.db.StoredObject;
import org.triplane.db.Task;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.volume.Volume;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.LeaseKeeper;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.RunOutcome;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;
import org.triplane.worker.storage.ObjectStore;
import org.triplane.worker.storage.ScratchDir;
import org.triplane.worker.storage.Sha256;

/**
 * Runs one claimed preprocess task: download CT and transform, verify their SHA-256 against the
 * scan record, rotate + window to one byte per voxel, upload under the scan's deterministic
 * {@link ObjectKeys#preprocessed} key (a redo overwrites), then complete in one transaction.
 * The lease is heartbeated throughout.
 */
@ApplicationScoped
public class PreprocessService {
    private static final Logger LOG = Logger.getLogger(PreprocessService.class);
    static final String VOLUME_CONTENT_TYPE = "application/gzip";

    private final TaskLedger ledger;
    private final ObjectStore objects;
    private final TaskGuard guard;
    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final WindowedVolumeMaker maker;

    public PreprocessService(TaskLedger ledger, ObjectStore objects, TaskGuard guard, WorkerConfig config,
                             WorkerIdentity identity, MeterRegistry metrics) {
        this.ledger = ledger;
        this.objects = objects;
        this.guard = guard;
        this.config = config;
        this.identity = identity;
        this.metrics = metrics;
        this.backoff = config.retry().backoff();
        this.maker = new WindowedVolumeMaker(config.resampleThreads());
    }

    /** Lease length in whole seconds, as the task table takes it. */
    public int leaseSeconds() {
        return guard.leaseSeconds();
    }

    /** Claims the named task and runs it; empty when it is not PENDING. */
    public Optional<RunOutcome> claimAndRun(UUID taskId) {
        return ledger.lifecycle().claim(taskId, identity.id(), leaseSeconds()).map(this::run);
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

    private RunOutcome process(Task task, ScratchDir work, LeaseKeeper lease) {
        Scan scan = backoff.call("read scan " + task.scanId(), () -> ledger.scanOf(task));
        if (scan.transformFile() == null) {
            throw new PoisonInputException("scan " + scan.id() + " has no transform file; upload it with the CT");
        }
        Window window = ScanRecords.window(scan.window());
        Path ct = work.resolve("ct.nii.gz");
        Path transform = work.resolve("transform.txt");
        long t0 = System.nanoTime();
        fetchVerified(scan.ct(), ct, "CT");
        fetchVerified(scan.transformFile(), transform, "transform file");
        long t1 = System.nanoTime();
        Volume windowed = maker.make(ct, transform, window);
        Path out = work.resolve("windowed-u8.nii.gz");
        WindowedVolumeMaker.write(windowed, out);
        long t2 = System.nanoTime();
        String key = ObjectKeys.preprocessed(task.tenantId(), task.scanId());
        backoff.run("upload " + key, () -> objects.upload(out, key, VOLUME_CONTENT_TYPE));
        long t3 = System.nanoTime();
        Timings timings = new Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
        record(timings);
        if (lease.lost()) {
            return RunOutcome.LEASE_LOST;
        }
        try {
            backoff.call("complete task " + task.id(),
                    () -> ledger.complete(task, key, ScanRecords.geometry(windowed.geometry()), scan.window(), timings));
        } catch (OptimisticLockException | IllegalStateException e) {
            // why: the task changed under us (reclaimed and redone, or finished by a retried commit)
            LOG.infof("task %s: not completed by this run: %s", task.id(), e.getMessage());
            return RunOutcome.LEASE_LOST;
        }
        return RunOutcome.SUCCEEDED;
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
        metrics.timer("triplane.preprocess.phase", "phase", "rotate_window").record(t.rotateWindowMs(), TimeUnit.MILLISECONDS);
        metrics.timer("triplane.preprocess.phase", "phase", "upload").record(t.uploadMs(), TimeUnit.MILLISECONDS);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
