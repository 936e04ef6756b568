package org.triplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * Pages of the newest-first lists read after a position: rows created in one transaction share
 * their creation time, so only the id orders them, and a page must still neither repeat nor skip one.
 */
class ListPositionIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void pagesOfOneRowVisitEveryJobOnceEvenWithEqualCreationTimes() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "pager")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        List<Job> jobs = db.app().inTenant(tenant, c -> List.of(
                Jobs.submit(c, aJob(tenant, List.of(scan)).setIdempotencyKey("a").build()).job(),
                Jobs.submit(c, aJob(tenant, List.of(scan)).setIdempotencyKey("b").build()).job(),
                Jobs.submit(c, aJob(tenant, List.of(scan)).setIdempotencyKey("c").build()).job()));
        assertThat(jobs).extracting(Job::createdAt).as("one transaction, one creation time").containsOnly(jobs.get(0).createdAt());

        List<UUID> seen = new ArrayList<>();
        ListPosition after = null;
        for (int page = 0; page < 5; page++) {
            ListPosition from = after;
            List<Job> rows = db.app().inTenant(tenant, c -> AuditQueries.listJobs(c, JobFilter.all(), from, 1));
            if (rows.isEmpty()) {
                break;
            }
            seen.add(rows.get(0).id());
            after = new ListPosition(rows.get(0).createdAt(), rows.get(0).id());
        }

        // why by text: PostgreSQL orders uuids by their bytes, unsigned, as their hex text sorts (UUID.compareTo is signed)
        List<UUID> descendingIds = jobs.stream().map(Job::id)
                .sorted(java.util.Comparator.comparing(UUID::toString).reversed()).toList();
        assertThat(seen).containsExactlyElementsOf(descendingIds);
    }

    @Test
    void scansPageByTheSameRuleAndFilterByChecksum() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "scan pager")).id();
        Scan first = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build()));
        Scan second = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build()));

        List<Scan> page1 = db.app().inTenant(tenant, c -> AuditQueries.listScans(c, null, null, 1));
        List<Scan> page2 = db.app().inTenant(tenant, c -> AuditQueries.listScans(c, null,
                new ListPosition(page1.get(0).createdAt(), page1.get(0).id()), 1));
        List<Scan> page3 = db.app().inTenant(tenant, c -> AuditQueries.listScans(c, null,
                new ListPosition(page2.get(0).createdAt(), page2.get(0).id()), 1));

        assertThat(page1).extracting(Scan::id).containsExactly(second.id());
        assertThat(page2).extracting(Scan::id).containsExactly(first.id());
        assertThat(page3).isEmpty();
        List<Scan> noMatch = db.app().inTenant(tenant, c -> AuditQueries.listScans(c, "f".repeat(64), null, 10));
        List<Scan> byChecksum = db.app().inTenant(tenant, c -> AuditQueries.listScans(c, first.ct().sha256(), null, 10));
        assertThat(noMatch).isEmpty();
        assertThat(byChecksum).extracting(Scan::id).contains(first.id());
    }
}
