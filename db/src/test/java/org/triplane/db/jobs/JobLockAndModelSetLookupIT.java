package org.triplane.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** Locking a job row for a "last one finished?" decision, and looking model sets up by id and name. */
class JobLockAndModelSetLookupIT {

    /** PostgreSQL's SQLSTATE for a lock not obtained within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenant;
    private static Job job;

    @BeforeAll
    static void aJobWithOneScan() {
        tenant = db.app().run(c -> Tenants.create(c, "locks")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        job = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(scan)).build()).job());
    }

    @Test
    void aLockedJobMakesASecondLockerWaitUntilTheFirstCommits() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger holderPid = new AtomicInteger();
        CompletableFuture<Job> holder = CompletableFuture.supplyAsync(() -> db.worker().run(c -> {
            holderPid.set(backendPid(c));
            Job j = Jobs.lock(c, job.id()).orElseThrow();
            Job moved = Jobs.transition(c, j, JobState.RUNNING, "holder", "test");
            locked.countDown();
            await(release);
            return moved;
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

        // why a lock timeout: proves the row is held without making the test wait for ever
        assertThatThrownBy(() -> db.worker().run(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '300ms'");
            }
            return Jobs.lock(c, job.id());
        })).isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo(LOCK_NOT_AVAILABLE));

        AtomicInteger waiterPid = new AtomicInteger();
        CompletableFuture<Job> waiter = CompletableFuture.supplyAsync(() -> db.worker().run(c -> {
            waiterPid.set(backendPid(c));
            return Jobs.lock(c, job.id()).orElseThrow();
        }));
        // why PostgreSQL's own account: it shows the second locker has reached the row and waits on the holder,
        // where a pause would only show that it had not finished yet (or not even started)
        awaitBlocked(waiter, waiterPid, holderPid.get());
        assertThat(waiter).as("second locker still waiting").isNotDone();
        release.countDown();
        Job moved = holder.get(10, TimeUnit.SECONDS);
        Job seenBySecond = waiter.get(10, TimeUnit.SECONDS);

        // the second locker reads the row as the first one committed it
        assertThat(seenBySecond.state()).isEqualTo(JobState.RUNNING);
        assertThat(seenBySecond.version()).isEqualTo(moved.version());
    }

    @Test
    void lockingAnotherTenantsJobUnderTheAppRoleFindsNothing() {
        UUID other = db.app().run(c -> Tenants.create(c, "locks-other")).id();

        Optional<Job> asOther = db.app().inTenant(other, c -> Jobs.lock(c, job.id()));
        Optional<Job> asOwner = db.app().inTenant(tenant, c -> Jobs.lock(c, job.id()));

        assertThat(asOther).isEmpty();
        assertThat(asOwner).isPresent();
    }

    @Test
    void modelSetsAreFoundByIdAndByNameUnderEitherRole() {
        String name = "lookup-" + UUID.randomUUID();
        ModelSet created = db.worker().run(c -> ModelSets.create(c, name, "MAJORITY_2_OF_3", "v7"));

        ModelSet byId = db.app().run(c -> ModelSets.find(c, created.id())).orElseThrow();
        ModelSet byName = db.worker().run(c -> ModelSets.findByName(c, name)).orElseThrow();

        assertThat(byId).isEqualTo(created);
        assertThat(byName).isEqualTo(created);
        assertThat(byId.fusionRule()).isEqualTo("MAJORITY_2_OF_3");
        assertThat(byId.codeVersion()).isEqualTo("v7");
        Optional<ModelSet> unknownId = db.app().run(c -> ModelSets.find(c, UUID.randomUUID()));
        Optional<ModelSet> unknownName = db.app().run(c -> ModelSets.findByName(c, "absent-" + UUID.randomUUID()));
        assertThat(unknownId).isEmpty();
        assertThat(unknownName).isEmpty();
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Waits until backend {@code waiter} (0 until the second locker's transaction has its connection) is
     * blocked by a lock that backend {@code holder} holds; fails at once when the second locker finished.
     */
    private static void awaitBlocked(CompletableFuture<?> locker, AtomicInteger waiter, int holder) {
        Awaitility.await("the second locker waiting on backend " + holder).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    assertThat(locker).as("second locker waiting").isNotDone();
                    return waiter.get() != 0 && blockedBy(waiter.get(), holder);
                });
    }

    private static boolean blockedBy(int waiter, int holder) {
        return db.ownerTx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ? = ANY (pg_blocking_pids(?))")) {
                ps.setInt(1, holder);
                ps.setInt(2, waiter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch not released within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
