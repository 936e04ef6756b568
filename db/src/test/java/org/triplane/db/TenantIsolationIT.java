package org.triplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.ApiKeys;
import org.triplane.db.tenants.IssuedApiKey;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** Row-level security seen through the roles the services really use. */
class TenantIsolationIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenantA;
    private static UUID tenantB;
    private static Scan scanOfA;
    private static Job jobOfA;

    @BeforeAll
    static void tenantAHasAScanAJobAndATask() {
        tenantA = db.app().run(c -> Tenants.create(c, "hospital-a")).id();
        tenantB = db.app().run(c -> Tenants.create(c, "hospital-b")).id();
        scanOfA = db.app().inTenant(tenantA, c -> Scans.insert(c, aScan(tenantA).build()));
        jobOfA = db.app().inTenant(tenantA, c -> {
            Job job = Jobs.submit(c, aJob(tenantA, List.of(scanOfA.id())).build()).job();
            Tasks.create(c, NewTask.forScan(job, scanOfA.id(), TaskKind.PREPROCESS), "api-gateway");
            return job;
        });
    }

    @Test
    void theOwningTenantSeesItsRows() {
        db.app().inTenant(tenantA, c -> {
            assertThat(Scans.find(c, scanOfA.id())).contains(scanOfA);
            assertThat(Jobs.find(c, jobOfA.id())).isPresent();
            assertThat(Scans.list(c, 10)).extracting(Scan::id).containsExactly(scanOfA.id());
            return null;
        });
    }

    @Test
    void anotherTenantCannotFindOrListThem() {
        db.app().inTenant(tenantB, c -> {
            assertThat(Scans.find(c, scanOfA.id())).isEmpty();
            assertThat(Jobs.find(c, jobOfA.id())).isEmpty();
            assertThat(Scans.list(c, 100)).isEmpty();
            assertThat(Jobs.list(c, 100)).isEmpty();
            assertThat(Jobs.scans(c, jobOfA.id())).isEmpty();
            assertThat(Tasks.forJob(c, jobOfA.id())).isEmpty();
            assertThat(TransitionLog.history(c, EntityType.JOB, jobOfA.id())).isEmpty();
            return null;
        });
    }

    @Test
    void anotherTenantSeesNothingEvenWithHandWrittenSql() {
        db.app().inTenant(tenantB, c -> {
            for (String table : List.of("scans", "jobs", "job_scans", "tasks", "results", "class_metrics",
                    "state_transitions")) {
                assertThat(count(c, "SELECT count(*) FROM " + table)).as(table).isZero();
            }
            assertThat(count(c, "SELECT count(*) FROM scans WHERE id = '" + scanOfA.id() + "'")).isZero();
            return null;
        });
    }

    @Test
    void withoutATenantTheAppRoleSeesNothing() {
        db.app().run(c -> {
            assertThat(count(c, "SELECT count(*) FROM scans")).isZero();
            assertThat(count(c, "SELECT count(*) FROM jobs")).isZero();
            assertThat(count(c, "SELECT count(*) FROM tasks")).isZero();
            return null;
        });
    }

    @Test
    void anotherTenantCannotChangeThem() {
        int updated = db.app().inTenant(tenantB, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET error = 'hijacked' WHERE id = ?")) {
                ps.setObject(1, jobOfA.id());
                return ps.executeUpdate();
            }
        });

        assertThat(updated).isZero();
        assertThat(db.app().inTenant(tenantA, c -> Jobs.find(c, jobOfA.id())).orElseThrow().error()).isNull();
    }

    @Test
    void aTenantCannotWriteRowsInAnotherTenantsName() {
        assertThatThrownBy(() -> db.app().inTenant(tenantB, c -> Scans.insert(c, aScan(tenantA).build())))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("row-level security")
                .extracting(e -> ((DataAccessException) e).sqlState())
                .isEqualTo(DataAccessException.INSUFFICIENT_PRIVILEGE);
    }

    @Test
    void aTenantCannotStartAJobOnAnotherTenantsScan() {
        assertThatThrownBy(() -> db.app().inTenant(tenantB,
                c -> Jobs.submit(c, aJob(tenantB, List.of(scanOfA.id())).build())))
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void theWorkerRoleSeesEveryTenant() {
        UUID scanOfB = db.app().inTenant(tenantB, c -> Scans.insert(c, aScan(tenantB).build())).id();

        List<UUID> seen = db.worker().run(c -> Scans.list(c, 100)).stream().map(Scan::id).toList();

        assertThat(seen).contains(scanOfA.id(), scanOfB);
    }

    @Test
    void theAppRoleCannotReadTheOutboxOfAllTenants() {
        assertThatThrownBy(() -> db.app().run(c -> count(c, "SELECT count(*) FROM outbox")))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void apiKeysAuthenticateTheirTenantAndAreStoredOnlyAsHashes() {
        IssuedApiKey issued = db.app().run(c -> Tenants.createApiKey(c, tenantA, "pacs exporter"));
        String key = issued.secret();
        String wrongSecret = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");

        db.app().run(c -> {
            assertThat(Tenants.tenantForKey(c, key)).contains(tenantA);
            assertThat(Tenants.tenantForKey(c, wrongSecret)).isEmpty();
            assertThat(Tenants.tenantForKey(c, "not a key")).isEmpty();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE prefix = ?")) {
                ps.setString(1, issued.key().prefix());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBytes("key_sha256")).isEqualTo(ApiKeys.sha256(key));
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        assertThat(String.valueOf(rs.getObject(i))).doesNotContain(key.substring(16));
                    }
                }
            }
            return null;
        });
        assertThat(issued.toString()).doesNotContain(key);

        db.app().run(c -> Tenants.revokeApiKey(c, issued.key().prefix()));
        assertThat(db.app().<Optional<UUID>>run(c -> Tenants.tenantForKey(c, key))).isEmpty();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
