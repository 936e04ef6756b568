package org.triplane.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** The audit view's query: filters by state and creation time run in the database, for the tenant only. */
class JobListingIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenant;
    private static Instant before;
    private static Job running;
    private static List<Job> all;

    @BeforeAll
    static void threeJobsOneRunning() {
        tenant = db.app().run(c -> Tenants.create(c, "auditor")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        before = db.app().run(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT now()")) {
                rs.next();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        });
        all = db.app().inTenant(tenant, c -> List.of(
                Jobs.submit(c, aJob(tenant, List.of(scan)).setIdempotencyKey("a").build()).job(),
                Jobs.submit(c, aJob(tenant, List.of(scan)).setIdempotencyKey("b").build()).job(),
                Jobs.submit(c, aJob(tenant, List.of(scan)).setIdempotencyKey("c").build()).job()));
        running = db.app().inTenant(tenant, c -> Jobs.transition(c, all.get(1), JobState.RUNNING, "test", "started"));
        UUID other = db.app().run(c -> Tenants.create(c, "someone else")).id();
        UUID otherScan = db.app().inTenant(other, c -> Scans.insert(c, aScan(other).build())).id();
        db.app().inTenant(other, c -> Jobs.submit(c, aJob(other, List.of(otherScan)).build()));
    }

    private static List<UUID> list(JobState state, Instant from, Instant to, int limit) {
        return db.app().inTenant(tenant, c -> Jobs.list(c, state, from, to, limit)).stream().map(Job::id).toList();
    }

    @Test
    void noFilterListsTheTenantsJobsOnly() {
        assertThat(list(null, null, null, 100)).containsExactlyInAnyOrderElementsOf(all.stream().map(Job::id).toList());
    }

    @Test
    void stateFilter() {
        assertThat(list(JobState.RUNNING, null, null, 100)).containsExactly(running.id());
        assertThat(list(JobState.SUBMITTED, null, null, 100)).hasSize(2).doesNotContain(running.id());
        assertThat(list(JobState.FAILED, null, null, 100)).isEmpty();
    }

    @Test
    void timeRangeIsFromInclusiveToExclusive() {
        Instant hourAgo = before.minus(Duration.ofHours(1));
        Instant inAnHour = before.plus(Duration.ofHours(1));
        assertThat(list(null, hourAgo, inAnHour, 100)).hasSize(3);
        assertThat(list(null, inAnHour, null, 100)).isEmpty();
        assertThat(list(null, null, hourAgo, 100)).isEmpty();
        assertThat(list(JobState.RUNNING, hourAgo, null, 100)).containsExactly(running.id());
    }

    @Test
    void limitKeepsTheNewest() {
        assertThat(list(null, null, null, 1)).hasSize(1);
    }
}
