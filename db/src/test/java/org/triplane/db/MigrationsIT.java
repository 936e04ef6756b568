package org.triplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.scans.ScanState;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.testing.TestDatabase;

class MigrationsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void applyToAnEmptyDatabaseAndAreIdempotent() throws Exception {
        Database empty = db.server().database(db.server().createEmptyDatabase(), "postgres");
        List<String> scripts = migrationScripts(empty);
        int files = scripts.size();
        String last = scripts.get(files - 1);

        Database.Migration first = empty.migrate();
        Database.Migration second = empty.migrate();

        assertThat(first.applied()).isEqualTo(files);
        assertThat(first.schemaVersion()).isEqualTo(last.substring(1, last.indexOf("__")));
        assertThat(second.applied()).isZero();
        assertThat(second.schemaVersion()).isEqualTo(first.schemaVersion());
    }

    /**
     * Numbered in order, one number each, named verb-noun. A number may be missing while a
     * migration of another branch holds it (V24 while V25 is here), so only order and uniqueness
     * are checked.
     */
    @Test
    void areNumberedInOrderAndNamedVerbNoun() throws Exception {
        List<String> names = migrationScripts(db.owner());
        int previous = 0;
        for (String name : names) {
            assertThat(name).matches("V[1-9][0-9]*__(create|protect|grant|enable)_[a-z_]+\\.sql");
            int number = Integer.parseInt(name.substring(1, name.indexOf("__")));
            assertThat(number).as(name).isGreaterThan(previous);
            previous = number;
        }
        assertThat(names.get(0)).startsWith("V1__");
    }

    @Test
    void enableRowLevelSecurityOnEveryTenantOwnedTable() throws Exception {
        List<String> protectedTables = db.ownerTx().run(c -> strings(c,
                "SELECT relname FROM pg_class WHERE relrowsecurity AND relkind = 'r' ORDER BY relname"));

        assertThat(protectedTables).containsExactly(
                "class_metrics", "dead_letters", "job_scans", "jobs", "results", "scan_deletions", "scan_registrations", "scans",
                "state_transitions", "tasks", "training_epochs");
    }

    @Test
    void createTheAppRoleSubjectToRlsAndTheWorkerRoleExemptFromIt() throws Exception {
        Map<String, Boolean> bypass = db.ownerTx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT rolname, rolbypassrls FROM pg_roles WHERE rolname IN ('triplane_app', 'triplane_worker')");
                    ResultSet rs = ps.executeQuery()) {
                Map<String, Boolean> out = new java.util.HashMap<>();
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBoolean(2));
                }
                return out;
            }
        });

        assertThat(bypass).containsEntry(Roles.APP, false).containsEntry(Roles.WORKER, true);
    }

    @Test
    void acceptEveryEnumValueTheCodeWrites() throws Exception {
        Map<String, Class<? extends Enum<?>>> columns = Map.of(
                "jobs_state_check", JobState.class,
                "jobs_kind_check", JobKind.class,
                "tasks_state_check", TaskState.class,
                "tasks_kind_check", TaskKind.class,
                "tasks_plane_check", Plane.class,
                "job_scans_state_check", JobScanState.class,
                "scans_state_check", ScanState.class,
                "class_metrics_plane_check", MetricPlane.class,
                "state_transitions_entity_type_check", EntityType.class);
        for (Map.Entry<String, Class<? extends Enum<?>>> e : columns.entrySet()) {
            String definition = db.ownerTx().run(c -> strings(c,
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '" + e.getKey() + "'")).get(0);
            for (Enum<?> value : e.getValue().getEnumConstants()) {
                assertThat(definition).as(e.getKey()).contains("'" + value.name() + "'");
            }
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Scripts as Flyway finds them in the built artifact, in version order. */
    private static List<String> migrationScripts(Database database) {
        MigrationInfo[] all = Flyway.configure().dataSource(database.dataSource()).locations(Database.MIGRATIONS)
                .load().info().all();
        return Arrays.stream(all).map(MigrationInfo::getScript).toList();
    }
}
