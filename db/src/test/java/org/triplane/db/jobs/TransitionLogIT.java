package org.triplane.db.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.Tx;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** The transition log is append-only for every role, the owner included. */
class TransitionLogIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenant;
    private static Job job;

    @BeforeAll
    static void aJobWithALoggedTransition() {
        tenant = db.app().run(c -> Tenants.create(c, "audited")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        job = db.app().inTenant(tenant, c -> {
            Job submitted = Jobs.submit(c, aJob(tenant, List.of(scan)).build()).job();
            return Jobs.transition(c, submitted, JobState.RUNNING, "worker-1", null);
        });
    }

    @Test
    void theOwnerCannotUpdateDeleteOrTruncateIt() {
        for (String sql : List.of(
                "UPDATE state_transitions SET reason = 'rewritten'",
                "DELETE FROM state_transitions",
                "TRUNCATE state_transitions")) {
            assertThatThrownBy(() -> db.ownerTx().run(c -> execute(c, sql)))
                    .as(sql)
                    .isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(history()).hasSize(2);
    }

    @Test
    void theServiceRolesCannotUpdateOrDeleteIt() {
        for (Tx tx : List.of(db.app(), db.worker())) {
            for (String sql : List.of("UPDATE state_transitions SET reason = 'rewritten'", "DELETE FROM state_transitions")) {
                assertThatThrownBy(() -> tx.inTenant(tenant, c -> execute(c, sql)))
                        .as(sql)
                        .isInstanceOf(DataAccessException.class)
                        .extracting(e -> ((DataAccessException) e).sqlState())
                        .isEqualTo(DataAccessException.INSUFFICIENT_PRIVILEGE);
            }
        }
        assertThat(history()).extracting(StateTransition::reason).doesNotContain("rewritten");
    }

    @Test
    void rowsRecordWhenWhoAndFromWhichState() {
        StateTransition running = history().get(1);

        assertThat(running.fromState()).isEqualTo("SUBMITTED");
        assertThat(running.toState()).isEqualTo("RUNNING");
        assertThat(running.actor()).isEqualTo("worker-1");
        assertThat(running.at()).isAfterOrEqualTo(history().get(0).at());
        assertThat(running.tenantId()).isEqualTo(tenant);
    }

    private static List<StateTransition> history() {
        return db.app().inTenant(tenant, c -> TransitionLog.history(c, EntityType.JOB, job.id()));
    }

    private static Void execute(java.sql.Connection c, String sql) throws java.sql.SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
        return null;
    }
}
