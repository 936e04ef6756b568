package org.triplane.db.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.HistoryAssert.assertThatHistory;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;
import org.triplane.imaging.plane.Plane;

/** Leases, heartbeats and the sweeper, as workers use them (role triplane_worker). */
class TaskLeasesIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final int LEASE_SECONDS = 60;
    private static UUID tenant;
    private static Job job;

    @BeforeAll
    static void aJobWithTwelveScans() {
        tenant = db.app().run(c -> Tenants.create(c, "leases")).id();
        job = db.app().inTenant(tenant, c -> {
            List<UUID> scans = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                scans.add(Scans.insert(c, aScan(tenant).build()).id());
            }
            return Jobs.submit(c, aJob(tenant, scans).build()).job();
        });
    }

    @AfterEach
    void nothingLeftInTheQueue() {
        // why: the queue is shared by the tests of this class; cancelling leftovers keeps each
        // test's claims and sweeps its own
        db.worker().run(c -> {
            List<UUID> open = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tasks WHERE state IN ('PENDING', 'RUNNING')");
                    var rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(rs.getObject(1, UUID.class));
                }
            }
            for (UUID id : open) {
                Tasks.transition(c, Tasks.find(c, id).orElseThrow(), TaskState.CANCELLED, "test-cleanup", null);
            }
            return null;
        });
    }

    private static List<UUID> scans() {
        return db.worker().run(c -> Jobs.scans(c, job.id())).stream().map(JobScan::scanId).toList();
    }

    private static List<Task> createPlaneTasks(int scanCount) {
        return db.worker().run(c -> {
            List<Task> out = new ArrayList<>();
            for (UUID scan : scans().subList(0, scanCount)) {
                for (Plane plane : Plane.values()) {
                    out.add(Tasks.create(c, NewTask.forPlane(job, scan, plane), "preprocess-1"));
                }
            }
            return out;
        });
    }

    /** A PENDING preprocess task of a new job, allowed two attempts. */
    private static Task onePendingTask() {
        return db.app().inTenant(tenant, c -> {
            UUID scan = Scans.insert(c, aScan(tenant).build()).id();
            Job own = Jobs.submit(c, aJob(tenant, List.of(scan)).build()).job();
            return Tasks.create(c, new NewTask(tenant, own.id(), scan, TaskKind.PREPROCESS, null, 2), "api-gateway");
        });
    }

    private static void expireLease(Task task) {
        db.ownerTx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE tasks SET lease_until = now() - interval '1 minute' WHERE id = ?")) {
                ps.setObject(1, task.id());
                return ps.executeUpdate();
            }
        });
    }

    @Test
    void creatingTheSameTaskTwiceReturnsTheFirst() {
        UUID scan = scans().get(0);

        Task first = db.worker().run(c -> Tasks.create(c, NewTask.forScan(job, scan, TaskKind.FUSION), "a"));
        Task again = db.worker().run(c -> Tasks.create(c, NewTask.forScan(job, scan, TaskKind.FUSION), "b"));

        assertThat(again).isEqualTo(first);
        assertThatHistory(db.worker().run(c -> TransitionLog.history(c, EntityType.TASK, first.id()))).hasStates(TaskState.PENDING);
    }

    @Test
    void twoClaimersNeverGetTheSameTask() throws Exception {
        List<Task> created = createPlaneTasks(12);
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String worker = "gpu-" + w;
                running.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        Optional<Task> t = db.worker().run(c -> Tasks.claim(c, worker, LEASE_SECONDS, Set.of(TaskKind.PLANE)));
                        if (t.isEmpty()) {
                            return null;
                        }
                        assertThat(t.get().worker()).isEqualTo(worker);
                        claimed.add(t.get().id());
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(claimed).doesNotHaveDuplicates().hasSameSizeAs(created);
        assertThat(new HashSet<>(claimed)).isEqualTo(new HashSet<>(created.stream().map(Task::id).toList()));
    }

    @Test
    void aNamedTaskIsClaimedOnceEvenWhenItsEventIsRedelivered() {
        Task task = onePendingTask();

        Optional<Task> first = db.worker().run(c -> Tasks.claim(c, task.id(), "gpu-1", LEASE_SECONDS));
        Optional<Task> redelivered = db.worker().run(c -> Tasks.claim(c, task.id(), "gpu-2", LEASE_SECONDS));

        assertThat(first).get().extracting(Task::state, Task::worker, Task::attempt)
                .containsExactly(TaskState.RUNNING, "gpu-1", 1);
        assertThat(first.get().leaseUntil()).isAfter(first.get().startedAt());
        assertThat(redelivered).isEmpty();
    }

    @Test
    void aHeartbeatExtendsTheLeaseOfTheHolderOnly() {
        Task claimed = db.worker().run(c -> Tasks.claim(c, onePendingTask().id(), "gpu-1", 1)).orElseThrow();

        boolean extended = db.worker().run(c -> Tasks.heartbeat(c, claimed, LEASE_SECONDS));
        Task after = db.worker().run(c -> Tasks.find(c, claimed.id())).orElseThrow();
        Task impostor = new Task(claimed.id(), claimed.tenantId(), claimed.jobId(), claimed.scanId(), claimed.kind(),
                claimed.plane(), claimed.state(), claimed.attempt(), claimed.maxAttempts(), "gpu-2", claimed.leaseUntil(),
                claimed.heartbeatAt(), claimed.createdAt(), claimed.startedAt(), null, null, null, "{}", claimed.version());

        assertThat(extended).isTrue();
        assertThat(after.leaseUntil()).isAfter(claimed.leaseUntil());
        assertThat(after.version()).isEqualTo(claimed.version());
        assertThat(db.worker().<Boolean>run(c -> Tasks.heartbeat(c, impostor, LEASE_SECONDS))).isFalse();
    }

    @Test
    void anExpiredLeaseIsRequeuedWithTheNextAttemptAndLogged() {
        Task claimed = db.worker().run(c -> Tasks.claim(c, onePendingTask().id(), "gpu-dead", LEASE_SECONDS)).orElseThrow();
        expireLease(claimed);

        List<ReclaimedTask> reclaimed = db.worker().run(c -> ExpiredLeases.reclaim(c, "sweeper", 10));

        assertThat(reclaimed).hasSize(1);
        ReclaimedTask r = reclaimed.get(0);
        assertThat(r.requeued()).isTrue();
        assertThat(r.previousWorker()).isEqualTo("gpu-dead");
        assertThat(r.task().state()).isEqualTo(TaskState.PENDING);
        assertThat(r.task().attempt()).isEqualTo(2);
        assertThat(r.task().leaseUntil()).isNull();
        List<StateTransition> history = db.worker().run(c -> TransitionLog.history(c, EntityType.TASK, claimed.id()));
        assertThatHistory(history).hasStates(TaskState.PENDING, TaskState.RUNNING, TaskState.PENDING).lastActorIs("sweeper");
        StateTransition requeue = history.get(2);
        assertThat(requeue.attempt()).isEqualTo(1);
        assertThat(requeue.reason()).contains("lease expired", "gpu-dead");
        assertThat(db.worker().<List<ReclaimedTask>>run(c -> ExpiredLeases.reclaim(c, "sweeper", 10))).isEmpty();
    }

    @Test
    void theLateWorkerCannotCompleteATaskTakenFromItAndItsHeartbeatFails() {
        Task mine = db.worker().run(c -> Tasks.claim(c, onePendingTask().id(), "gpu-slow", LEASE_SECONDS)).orElseThrow();
        expireLease(mine);
        db.worker().run(c -> ExpiredLeases.reclaim(c, "sweeper", 10));
        Task theirs = db.worker().run(c -> Tasks.claim(c, mine.id(), "gpu-fresh", LEASE_SECONDS)).orElseThrow();

        assertThat(db.worker().<Boolean>run(c -> Tasks.heartbeat(c, mine, LEASE_SECONDS))).isFalse();
        assertThatThrownBy(() -> db.worker().run(c -> Tasks.transition(c, mine, TaskState.SUCCEEDED, "gpu-slow", null)))
                .isInstanceOf(OptimisticLockException.class)
                .hasMessageContaining("gpu-fresh");
        Task done = db.worker().run(c -> Tasks.transition(c, Tasks.recordRun(c, theirs, "cpu", "{\"infer_s\": 1.5}"),
                TaskState.SUCCEEDED, "gpu-fresh", null));
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.device()).isEqualTo("cpu");
        assertThat(done.timingsJson()).isEqualTo("{\"infer_s\": 1.5}");
        assertThat(done.finishedAt()).isNotNull();
    }

    @Test
    void aTaskFailsWhenItsLastAttemptExpires() {
        Task task = onePendingTask(); // max 2 attempts
        for (int attempt = 1; attempt <= 2; attempt++) {
            Task claimed = db.worker().run(c -> Tasks.claim(c, task.id(), "gpu-crashy", LEASE_SECONDS)).orElseThrow();
            expireLease(claimed);
            db.worker().run(c -> ExpiredLeases.reclaim(c, "sweeper", 10));
        }

        Task failed = db.worker().run(c -> Tasks.find(c, task.id())).orElseThrow();

        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(failed.error()).contains("last attempt 2 of 2");
        assertThatHistory(db.worker().run(c -> TransitionLog.history(c, EntityType.TASK, task.id())))
                .hasStates(TaskState.PENDING, TaskState.RUNNING, TaskState.PENDING, TaskState.RUNNING, TaskState.FAILED);
    }

    @Test
    void aTaskBecomesRunningOnlyByBeingClaimed() {
        Task task = onePendingTask();

        assertThatThrownBy(() -> db.worker().run(c -> Tasks.transition(c, task, TaskState.RUNNING, "x", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.worker().run(c -> Tasks.transition(c, task, TaskState.SUCCEEDED, "x", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PENDING -> SUCCEEDED");
        assertThatHistory(db.worker().run(c -> TransitionLog.history(c, EntityType.TASK, task.id()))).hasStates(TaskState.PENDING);
    }
}
