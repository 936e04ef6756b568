package org.triplane.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.HistoryAssert.assertThatHistory;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** Idempotent job submission: one key, one job, whatever the retries. */
class JobSubmissionIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenant;
    private static List<UUID> scans;

    @BeforeAll
    static void aTenantWithTwoScans() {
        tenant = db.app().run(c -> Tenants.create(c, "submitter")).id();
        scans = db.app().inTenant(tenant, c -> List.of(
                Scans.insert(c, aScan(tenant).build()).id(),
                Scans.insert(c, aScan(tenant).build()).id()));
    }

    @Test
    void recordsTheJobItsScansAndWhoSubmittedIt() {
        JobRequest request = aJob(tenant, scans).build();

        Submission s = db.app().inTenant(tenant, c -> Jobs.submit(c, request));

        assertThat(s.created()).isTrue();
        assertThat(s.job().state()).isEqualTo(JobState.SUBMITTED);
        assertThat(s.job().version()).isZero();
        assertThat(s.job().parametersJson()).isEqualTo("{\"fusion\": \"vote\"}");
        db.app().inTenant(tenant, c -> {
            assertThat(Jobs.scans(c, s.job().id())).extracting(JobScan::scanId)
                    .containsExactlyInAnyOrderElementsOf(scans);
            assertThatHistory(TransitionLog.history(c, EntityType.JOB, s.job().id()))
                    .hasStates(JobState.SUBMITTED).lastActorIs(request.requestedBy());
            return null;
        });
    }

    @Test
    void aRepeatedKeyReturnsTheFirstJob() {
        JobRequest request = aJob(tenant, scans).build();

        Submission first = db.app().inTenant(tenant, c -> Jobs.submit(c, request));
        Submission again = db.app().inTenant(tenant, c -> Jobs.submit(c, request));

        assertThat(again.created()).isFalse();
        assertThat(again.job()).isEqualTo(first.job());
        assertThat(jobsWithKey(request.idempotencyKey())).isEqualTo(1);
    }

    @Test
    void theSameKeyOfAnotherTenantIsAnotherJob() {
        UUID other = db.app().run(c -> Tenants.create(c, "other-submitter")).id();
        UUID otherScan = db.app().inTenant(other, c -> Scans.insert(c, aScan(other).build())).id();
        JobRequest mine = aJob(tenant, scans).setIdempotencyKey("shared-key").build();
        JobRequest theirs = aJob(other, List.of(otherScan)).setIdempotencyKey("shared-key").build();

        Job a = db.app().inTenant(tenant, c -> Jobs.submit(c, mine)).job();
        Submission b = db.app().inTenant(other, c -> Jobs.submit(c, theirs));

        assertThat(b.created()).isTrue();
        assertThat(b.job().id()).isNotEqualTo(a.id());
    }

    @Test
    void aKeyReusedForADifferentRequestIsRefused() {
        JobRequest request = aJob(tenant, scans).build();
        db.app().inTenant(tenant, c -> Jobs.submit(c, request));

        JobRequest otherParameters = aJob(tenant, scans).setIdempotencyKey(request.idempotencyKey())
                .optParametersJson("{\"fusion\": \"confidence\"}").build();
        JobRequest otherScans = aJob(tenant, scans.subList(0, 1)).setIdempotencyKey(request.idempotencyKey()).build();
        JobRequest otherKind = aJob(tenant, scans).setIdempotencyKey(request.idempotencyKey())
                .setKind(JobKind.EVALUATE).build();

        for (JobRequest conflicting : List.of(otherParameters, otherScans, otherKind)) {
            assertThatThrownBy(() -> db.app().inTenant(tenant, c -> Jobs.submit(c, conflicting)))
                    .isInstanceOf(IdempotencyConflictException.class)
                    .hasMessageContaining(request.idempotencyKey());
        }
        assertThat(jobsWithKey(request.idempotencyKey())).isEqualTo(1);
    }

    @Test
    void aTrainJobRetriedAfterItsTrainingStartedIsTheSameJob() {
        JobRequest request = aJob(tenant, scans).setKind(JobKind.TRAIN).setIdempotencyKey("train-retry").build();
        Job first = db.app().inTenant(tenant, c -> Jobs.submit(c, request)).job();
        // the training start records the model set the job produces on it
        db.worker().run(c -> {
            ModelSet set = ModelSets.create(c, "train-retry-set", "majority", "test", first.id(), null, null);
            return Jobs.assignModelSet(c, Jobs.find(c, first.id()).orElseThrow(), set.id());
        });

        Submission again = db.app().inTenant(tenant, c -> Jobs.submit(c, request));

        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(first.id());
        assertThat(again.job().modelSetId()).isNotNull();
    }

    @Test
    void jsonParametersCompareBySemanticsNotBySpelling() {
        JobRequest request = aJob(tenant, scans).optParametersJson("{\"a\": 1, \"b\": [2, 3]}").build();
        JobRequest respelled = aJob(tenant, scans).setIdempotencyKey(request.idempotencyKey())
                .optParametersJson("{ \"b\":[2,3], \"a\":1 }").build();

        db.app().inTenant(tenant, c -> Jobs.submit(c, request));

        assertThat(db.app().inTenant(tenant, c -> Jobs.submit(c, respelled)).created()).isFalse();
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneJob() throws Exception {
        JobRequest request = aJob(tenant, scans).build();
        int clients = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Submission>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return db.app().inTenant(tenant, c -> Jobs.submit(c, request));
                }));
            }
            start.countDown();
            List<Submission> submissions = new ArrayList<>();
            for (Future<Submission> f : results) {
                submissions.add(f.get(30, TimeUnit.SECONDS));
            }

            assertThat(submissions).filteredOn(Submission::created).hasSize(1);
            assertThat(submissions).extracting(s -> s.job().id()).containsOnly(submissions.get(0).job().id());
            assertThat(jobsWithKey(request.idempotencyKey())).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long jobsWithKey(String key) {
        return db.ownerTx().run(c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM jobs WHERE idempotency_key = ?")) {
                ps.setString(1, key);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
