package org.triplane.db.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * {@code delete_scan()} (V31) as the application role calls it: it deletes only the current
 * tenant's scan, refuses while an unfinished job uses it, and leaves a record of the deletion.
 */
class ScanDeletionsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void anotherTenantsScanIsNeitherDeletedNorRecorded() {
        UUID owner = db.app().run(c -> Tenants.create(c, "owner")).id();
        UUID other = db.app().run(c -> Tenants.create(c, "other")).id();
        UUID scan = db.app().inTenant(owner, c -> Scans.insert(c, aScan(owner).build())).id();

        Optional<ScanDeletion> deleted = db.app().inTenant(other, c -> ScanDeletions.delete(c, scan, "api-key:x", "[]"));

        Optional<Scan> kept = db.app().inTenant(owner, c -> Scans.find(c, scan));
        Optional<ScanDeletion> record = db.app().inTenant(owner, c -> ScanDeletions.find(c, scan));
        assertThat(deleted).isEmpty();
        assertThat(kept).isPresent();
        assertThat(record).isEmpty();
    }

    @Test
    void withoutATenantNothingIsDeleted() {
        UUID owner = db.app().run(c -> Tenants.create(c, "no tenant set")).id();
        UUID scan = db.app().inTenant(owner, c -> Scans.insert(c, aScan(owner).build())).id();

        assertThatThrownBy(() -> db.app().run(c -> ScanDeletions.delete(c, scan, "api-key:x", "[]")))
                .hasMessageContaining("needs a tenant");
        Optional<Scan> kept = db.app().inTenant(owner, c -> Scans.find(c, scan));
        assertThat(kept).isPresent();
    }

    @Test
    void anUnfinishedJobKeepsItsScanAndAFinishedOneLosesItsRowsForIt() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "deleter")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(scan)).build()).job());

        assertThatThrownBy(() -> db.app().inTenant(tenant, c -> ScanDeletions.delete(c, scan, "api-key:x", "[]")))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55006"));

        db.app().inTenant(tenant, c -> Jobs.transition(c, job, JobState.CANCELLED, "test", "cancelled"));
        ScanDeletion record = db.app().inTenant(tenant, c -> ScanDeletions.delete(c, scan, "api-key:abc",
                "[{\"key\": \"k\", \"sha256\": \"" + "0".repeat(64) + "\", \"bytes\": 1}]")).orElseThrow();

        assertThat(record.scanId()).isEqualTo(scan);
        assertThat(record.deletedBy()).isEqualTo("api-key:abc");
        assertThat(record.jobIds()).containsExactly(job.id());
        Optional<Scan> gone = db.app().inTenant(tenant, c -> Scans.find(c, scan));
        List<JobScan> jobScans = db.app().inTenant(tenant, c -> Jobs.scans(c, job.id()));
        Optional<Job> kept = db.app().inTenant(tenant, c -> Jobs.find(c, job.id()));
        Optional<ScanDeletion> found = db.app().inTenant(tenant, c -> ScanDeletions.find(c, scan));
        assertThat(gone).isEmpty();
        assertThat(jobScans).isEmpty();
        assertThat(kept).as("the job stays").isPresent();
        assertThat(found).contains(record);
    }
}
