package org.triplane.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.HistoryAssert.assertThatHistory;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** Compare-and-set transitions of jobs and job scans, and what they log. */
class JobTransitionsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenant;
    private static UUID scan;

    @BeforeAll
    static void aTenantWithAScan() {
        tenant = db.app().run(c -> Tenants.create(c, "transitions")).id();
        scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
    }

    private static Job submitted() {
        return db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(scan)).build())).job();
    }

    private static List<StateTransition> history(Job job) {
        return db.app().inTenant(tenant, c -> TransitionLog.history(c, EntityType.JOB, job.id()));
    }

    @Test
    void aJobRunsAndSucceedsWithTimestampsAndALogRowPerChange() {
        Job job = submitted();

        Job running = db.app().inTenant(tenant, c -> Jobs.transition(c, job, JobState.RUNNING, "preprocess-1", null));
        Job done = db.app().inTenant(tenant, c -> Jobs.transition(c, running, JobState.SUCCEEDED, "fusion-1", "all scans fused"));

        assertThat(running.version()).isEqualTo(1);
        assertThat(running.startedAt()).isNotNull();
        assertThat(done.version()).isEqualTo(2);
        assertThat(done.startedAt()).isEqualTo(running.startedAt());
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThatHistory(history(job))
                .hasStates(JobState.SUBMITTED, JobState.RUNNING, JobState.SUCCEEDED)
                .lastActorIs("fusion-1");
    }

    @Test
    void aFailedJobKeepsTheReasonAsItsError() {
        Job job = submitted();

        Job failed = db.app().inTenant(tenant,
                c -> Jobs.transition(c, job, JobState.FAILED, "preprocess-1", "scan 1: truncated gzip"));

        assertThat(failed.error()).isEqualTo("scan 1: truncated gzip");
        assertThat(history(job).get(1).reason()).isEqualTo("scan 1: truncated gzip");
    }

    @Test
    void aStaleVersionLosesAndOnlyTheWinnerIsLogged() {
        Job job = submitted();
        Job readByA = job;
        Job readByB = job;

        db.app().inTenant(tenant, c -> Jobs.transition(c, readByA, JobState.RUNNING, "worker-a", null));

        assertThatThrownBy(() -> db.app().inTenant(tenant,
                c -> Jobs.transition(c, readByB, JobState.CANCELLED, "worker-b", "user cancelled")))
                .isInstanceOf(OptimisticLockException.class)
                .hasMessageContaining("expected SUBMITTED at version 0, found RUNNING at version 1");
        assertThatHistory(history(job)).hasStates(JobState.SUBMITTED, JobState.RUNNING).lastActorIs("worker-a");
    }

    @Test
    void anIllegalTransitionIsRefusedAndNothingIsWritten() {
        Job job = submitted();

        assertThatThrownBy(() -> db.app().inTenant(tenant,
                c -> Jobs.transition(c, job, JobState.SUCCEEDED, "worker-a", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SUBMITTED")
                .hasMessageContaining("SUCCEEDED");
        assertThat(db.app().inTenant(tenant, c -> Jobs.find(c, job.id())).orElseThrow()).isEqualTo(job);
        assertThatHistory(history(job)).hasStates(JobState.SUBMITTED);
    }

    @Test
    void aTerminalJobCannotMoveAgain() {
        Job job = submitted();
        Job cancelled = db.app().inTenant(tenant, c -> Jobs.transition(c, job, JobState.CANCELLED, "user", null));

        assertThatThrownBy(() -> db.app().inTenant(tenant,
                c -> Jobs.transition(c, cancelled, JobState.RUNNING, "worker-a", null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void jobScansMoveOnTheirOwnAndAreLogged() {
        Job job = submitted();
        JobScan pending = db.app().inTenant(tenant, c -> Jobs.scans(c, job.id())).get(0);

        JobScan running = db.app().inTenant(tenant, c -> Jobs.transitionScan(c, pending, JobScanState.RUNNING, "preprocess-1", null));
        JobScan failed = db.app().inTenant(tenant,
                c -> Jobs.transitionScan(c, running, JobScanState.FAILED, "preprocess-1", "labels outside 0..20"));

        assertThat(failed.error()).isEqualTo("labels outside 0..20");
        assertThatThrownBy(() -> db.app().inTenant(tenant,
                c -> Jobs.transitionScan(c, running, JobScanState.SUCCEEDED, "fusion-1", null)))
                .isInstanceOf(OptimisticLockException.class);
        assertThatHistory(db.app().inTenant(tenant, c -> TransitionLog.history(c, EntityType.JOB_SCAN, pending.id())))
                .hasStates(JobScanState.PENDING, JobScanState.RUNNING, JobScanState.FAILED);
    }
}
