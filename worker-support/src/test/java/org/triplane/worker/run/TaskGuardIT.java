package org.triplane.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.triplane.testing.StackClient.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.Tx;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.Tenants;
import org.triplane.objectstore.MissingObjectException;
import org.triplane.objectstore.ObjectStoreException;
import org.triplane.testing.TestStack;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.pipeline.JobFlow;

/**
 * The guard around a task run, and the lease it keeps, on the local stack's real PostgreSQL: a claim
 * takes a PENDING task once for the guard's lease; the body runs in a scratch folder of its own, gone
 * afterwards, while heartbeats move the lease on; poison input fails the task and its job with one
 * dead letter; transient, disk and unexpected failures hand the task back to the queue, but for its
 * last attempt, which its lease and the sweeper end; a task taken back meanwhile counts as lost and
 * nothing is written for it. Each test has its own job and PREPROCESS task, created as the
 * preprocess-worker creates them.
 */
class TaskGuardIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final ScanGeometry GRID = new ScanGeometry(List.of(48, 48, 24), List.of(4.8, 4.8, 5.7),
            List.of(0.0, 0.0, 0.0), List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0));

    @TempDir
    static Path dir;

    private static final JobFlow flow = new JobFlow();
    private static TestStack stack;
    private static Tx tx;
    private static UUID tenant;
    private static TaskGuard guard;

    @BeforeAll
    static void stack() throws Exception {
        stack = TestStack.start(dir);
        tx = stack.owner().tx();
        tenant = tx.run(c -> Tenants.create(c, "task-guard-" + UUID.randomUUID())).id();
        DeadLetters deadLetters = new DeadLetters(tx, new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(50)),
                "guard-it", "w1");
        guard = new TaskGuard(new TaskLifecycle(tx), deadLetters, LEASE, HEARTBEAT);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aClaimTakesAPendingTaskOnceForTheGuardsLease() {
        Task pending = pendingTask();
        Instant before = Instant.now();
        Task claimed = guard.claim(pending.id(), "w1").orElseThrow();
        Instant after = Instant.now();

        assertThat(claimed.state()).isEqualTo(TaskState.RUNNING);
        assertThat(claimed.worker()).isEqualTo("w1");
        assertThat(guard.leaseSeconds()).isEqualTo(30);
        // why a second either side: the lease is the database's now() + 30 s, read around the claim here
        assertThat(claimed.leaseUntil()).isBetween(before.plus(LEASE).minusSeconds(1), after.plus(LEASE).plusSeconds(1));
        assertThat(guard.claim(pending.id(), "w2")).as("held by w1").isEmpty();
        assertThat(task(pending).worker()).isEqualTo("w1");
    }

    @Test
    void theBodyRunsInAScratchFolderOfItsOwnWhileHeartbeatsMoveTheLeaseOnAndTheFolderIsGoneAfterwards() {
        Task claimed = guard.claim(pendingTask().id(), "w1").orElseThrow();
        AtomicReference<Path> scratch = new AtomicReference<>();

        RunOutcome outcome = guard.runInScratch(claimed, "preprocess", Duration.ZERO, (t, work, lease) -> {
            Path file = work.resolve("ct.nii.gz");
            Files.write(file, new byte[] {1, 2, 3});
            scratch.set(file.getParent());
            await("a heartbeat moved the lease on", TIMEOUT, () -> {
                Task now = task(t);
                return now.heartbeatAt() != null && now.leaseUntil().isAfter(claimed.leaseUntil());
            });
            assertThat(lease.lost()).isFalse();
            tx.run(c -> Tasks.transition(c, t, TaskState.SUCCEEDED, "w1", "done"));
            return RunOutcome.SUCCEEDED;
        });

        assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(scratch.get().getFileName().toString()).startsWith("preprocess-" + claimed.id());
        assertThat(scratch.get()).doesNotExist();
        assertThat(task(claimed).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void poisonInputFailsTheTaskAndItsJobWithOneDeadLetterNamingTheReason() {
        Task claimed = guard.claim(pendingTask().id(), "w1").orElseThrow();
        String reason = "the CT header names 0 slices (test)";

        RunOutcome outcome = guard.runInScratch(claimed, "preprocess", Duration.ZERO, (t, work, lease) -> {
            throw new PoisonInputException(reason);
        });

        assertThat(outcome).isEqualTo(RunOutcome.FAILED);
        assertThat(task(claimed).state()).isEqualTo(TaskState.FAILED);
        Job job = tx.run(c -> Jobs.find(c, claimed.jobId())).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error()).contains(reason);
        List<DeadLetter> letters = tx.run(c -> org.triplane.db.outbox.DeadLetters.ofJob(c, claimed.jobId()));
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.taskId()).isEqualTo(claimed.id());
            assertThat(l.reason()).isEqualTo(reason);
            assertThat(l.consumer()).isEqualTo("guard-it");
            assertThat(l.workerId()).isEqualTo("w1");
        });
    }

    @Test
    void anObjectMissingFromTheBucketIsPoisonNotRetriedAndItsKeyIsTheReason() {
        Task claimed = guard.claim(pendingTask().id(), "w1").orElseThrow();
        MissingObjectException missing = new MissingObjectException("tenants/t/scans/s/ct.nii.gz", "triplane", null);

        RunOutcome outcome = guard.runInScratch(claimed, "preprocess", Duration.ZERO, (t, work, lease) -> {
            throw missing;
        });

        assertThat(outcome).isEqualTo(RunOutcome.FAILED);
        assertThat(task(claimed).state()).isEqualTo(TaskState.FAILED);
        assertThat(task(claimed).error()).contains("tenants/t/scans/s/ct.nii.gz").contains("missing");
    }

    @Test
    void transientDiskAndUnexpectedFailuresHandTheTaskBackToTheQueueWithTheirReason() {
        record Failure(RuntimeException thrown, IOException io, String reason) {
        }
        List<Failure> failures = List.of(
                new Failure(new TransientException("object store unreachable after 10 tries (test)", null), null,
                        "transient failure, handed back: object store unreachable after 10 tries (test)"),
                new Failure(new ObjectStoreException("upload of tenants/t/x failed: connection refused (test)", null), null,
                        "transient failure, handed back: upload of tenants/t/x failed: connection refused (test)"),
                new Failure(null, new IOException("No space left on device (test)"),
                        "transient failure, handed back: local disk: No space left on device (test)"),
                new Failure(new IllegalStateException("a bug (test)"), null,
                        "transient failure, handed back: unexpected failure: java.lang.IllegalStateException: a bug (test)"));
        for (Failure f : failures) {
            Task claimed = guard.claim(pendingTask().id(), "w1").orElseThrow();

            RunOutcome outcome = guard.runInScratch(claimed, "preprocess", Duration.ZERO, (t, work, lease) -> {
                if (f.io() != null) {
                    throw f.io();
                }
                throw f.thrown();
            });

            assertThat(outcome).as(f.reason()).isEqualTo(RunOutcome.HANDED_BACK);
            Task back = task(claimed);
            assertThat(back.state()).as(f.reason()).isEqualTo(TaskState.PENDING);
            assertThat(back.attempt()).as("requeued for the next attempt").isEqualTo(claimed.attempt() + 1);
            List<StateTransition> history = tx.run(c -> TransitionLog.history(c, EntityType.TASK, claimed.id()));
            assertThat(history.get(history.size() - 1).reason()).isEqualTo(f.reason());
            assertThat(guard.claim(claimed.id(), "w2")).as("another worker may take it").isPresent();
        }
    }

    @Test
    void onItsLastAttemptAFailingTaskIsNotHandedBackButLeftToItsLeaseAndTheSweeper() {
        Task task = pendingTask();
        while (true) {
            Task claimed = guard.claim(task.id(), "w1").orElseThrow();
            RunOutcome outcome = guard.runInScratch(claimed, "preprocess", Duration.ZERO, (t, work, lease) -> {
                throw new TransientException("database unreachable after 10 tries (test)", null);
            });
            assertThat(outcome).isEqualTo(RunOutcome.HANDED_BACK);
            if (claimed.attempt() == claimed.maxAttempts()) {
                Task last = task(claimed);
                assertThat(last.state()).as("the sweeper decides: FAILED once the lease expires").isEqualTo(TaskState.RUNNING);
                assertThat(last.worker()).isEqualTo("w1");
                return;
            }
            assertThat(task(claimed).state()).isEqualTo(TaskState.PENDING);
        }
    }

    @Test
    void aTaskTakenBackWhileItRunsCountsAsLostAndTheGuardWritesNothingForIt() {
        Task claimed = guard.claim(pendingTask().id(), "w1").orElseThrow();

        RunOutcome outcome = guard.runInScratch(claimed, "preprocess", Duration.ZERO, (t, work, lease) -> {
            // what the sweeper does with an expired lease: the task back to PENDING, another version
            tx.run(c -> Tasks.transition(c, task(t), TaskState.PENDING, "sweeper-it", "lease expired (test)"));
            await("the heartbeat finds the lease gone", TIMEOUT, lease::lost);
            return RunOutcome.LEASE_LOST;
        });

        assertThat(outcome).isEqualTo(RunOutcome.LEASE_LOST);
        Task after = task(claimed);
        assertThat(after.state()).isEqualTo(TaskState.PENDING);
        List<StateTransition> history = tx.run(c -> TransitionLog.history(c, EntityType.TASK, claimed.id()));
        assertThat(history.get(history.size() - 1).actor()).as("nothing after the sweeper's move").isEqualTo("sweeper-it");
    }

    /** A PENDING PREPROCESS task of a new single-scan SEGMENT job, as an accepted scan event leaves it. */
    private static Task pendingTask() {
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        NewScan scan = NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", "c".repeat(64), 1000)).setGeometry(GRID)
                .optWindow(HuWindow.BRAIN).build();
        UUID scanId = tx.inTenant(tenant, c -> Scans.insert(c, scan)).id();
        Job job = tx.inTenant(tenant, c -> Jobs.submit(c, JobRequest.builder().setTenantId(tenant)
                .setKind(JobKind.SEGMENT).setRequestedBy("it").setIdempotencyKey(UUID.randomUUID().toString())
                .setCodeVersion("it").setScanIds(List.of(scanId)).build())).job();
        return tx.run(c -> flow.scanAccepted(c, job, Jobs.scans(c, job.id()).get(0), "it"));
    }

    private static Task task(Task t) {
        return tx.run(c -> Tasks.find(c, t.id())).orElseThrow();
    }
}
