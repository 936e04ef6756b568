package org.triplane.db.models;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** The rows of a k-fold TRAIN job: one TRAIN task per (plane, fold), one model set per fold. */
class CrossValidationFoldsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final String CHECK_VIOLATION = "23514";
    private static UUID tenant;
    private static List<UUID> scans;

    @BeforeAll
    static void aTenantWithScans() {
        tenant = db.app().run(c -> Tenants.create(c, "folds")).id();
        scans = List.of(db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id(),
                db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id());
    }

    private static Job trainJob() {
        return db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, scans).setKind(JobKind.TRAIN)
                .setIdempotencyKey("train-" + UUID.randomUUID()).build()).job());
    }

    @Test
    void theSamePlaneOfOneJobIsOneTaskPerFoldAndAFoldIsCreatedOnce() {
        Job job = trainJob();
        Task fold1 = db.worker().run(c -> Tasks.create(c, NewTask.forTrainingFold(job, Plane.AXIAL, 1), "t"));
        Task fold2 = db.worker().run(c -> Tasks.create(c, NewTask.forTrainingFold(job, Plane.AXIAL, 2), "t"));
        Task noFold = db.worker().run(c -> Tasks.create(c, NewTask.forTraining(job, Plane.AXIAL), "t"));
        Task fold2Again = db.worker().run(c -> Tasks.create(c, NewTask.forTrainingFold(job, Plane.AXIAL, 2), "t"));

        assertThat(List.of(fold1.id(), fold2.id(), noFold.id())).doesNotHaveDuplicates();
        assertThat(fold1.fold()).isEqualTo(1);
        assertThat(fold2.fold()).isEqualTo(2);
        assertThat(noFold.fold()).isNull();
        assertThat(fold2Again.id()).isEqualTo(fold2.id());
        List<Task> tasks = db.worker().run(c -> Tasks.forJob(c, job.id()));
        assertThat(tasks).extracting(Task::fold)
                .containsExactlyInAnyOrder(1, 2, null);
        assertThat(db.worker().run(c -> Tasks.find(c, fold2.id())).orElseThrow().fold()).isEqualTo(2);
    }

    @Test
    void theIdentityIndexRefusesASecondRowOfTheSameFold() {
        Job job = trainJob();
        db.worker().run(c -> Tasks.create(c, NewTask.forTrainingFold(job, Plane.CORONAL, 1), "t"));
        // why raw SQL: Tasks.create absorbs the conflict by design; the index itself must refuse the row
        assertThatThrownBy(() -> db.worker().run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tasks (tenant_id, job_id, kind, plane, fold) VALUES (?, ?, 'TRAIN', 'CORONAL', 1)")) {
                ps.setObject(1, tenant);
                ps.setObject(2, job.id());
                return ps.executeUpdate();
            }
        })).isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo(DataAccessException.UNIQUE_VIOLATION));
    }

    @Test
    void onlyTrainTasksHaveAFoldAndFoldsCountFromOne() {
        Job job = trainJob();
        assertThatThrownBy(() -> new NewTask(tenant, job.id(), scans.get(0), TaskKind.PREPROCESS, null, 3, 1))
                .hasMessageStartingWith("fold:");
        assertThatThrownBy(() -> NewTask.forTrainingFold(job, Plane.AXIAL, 0)).hasMessageStartingWith("fold:");
        for (String sql : List.of(
                "INSERT INTO tasks (tenant_id, job_id, scan_id, kind, fold) VALUES (?, ?, ?, 'PREPROCESS', 1)",
                "INSERT INTO tasks (tenant_id, job_id, scan_id, kind, plane, fold) VALUES (?, ?, ?, 'TRAIN', 'AXIAL', 0)")) {
            assertThatThrownBy(() -> db.worker().run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setObject(1, tenant);
                    ps.setObject(2, job.id());
                    ps.setObject(3, scans.get(0));
                    return ps.executeUpdate();
                }
            })).as(sql).isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo(CHECK_VIOLATION));
        }
    }

    @Test
    void aJobsFoldSetsAreFoundByTheJobInFoldOrderAndEachFoldOnce() {
        Job job = trainJob();
        ModelSet second = db.worker().run(c -> ModelSets.create(c, "cv-" + job.id() + "-fold2of2",
                "MAJORITY_2_OF_3", "v", job.id(), 2, 2));
        ModelSet first = db.worker().run(c -> ModelSets.create(c, "cv-" + job.id() + "-fold1of2",
                "MAJORITY_2_OF_3", "v", job.id(), 1, 2));

        assertThat(first.trainingJobId()).isEqualTo(job.id());
        assertThat(first.fold()).isEqualTo(1);
        assertThat(first.foldCount()).isEqualTo(2);
        assertThat(db.app().run(c -> ModelSets.find(c, second.id())).orElseThrow()).isEqualTo(second);
        List<ModelSet> ofJob = db.app().run(c -> ModelSets.ofTrainingJob(c, job.id()));
        assertThat(ofJob).containsExactly(first, second);
        assertThatThrownBy(() -> db.worker().run(c -> ModelSets.create(c, "cv-" + UUID.randomUUID(),
                "MAJORITY_2_OF_3", "v", job.id(), 1, 2)))
                .isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo(DataAccessException.UNIQUE_VIOLATION));
    }

    @Test
    void aSetWithoutFoldsRecordsItsJobAndAnOldStyleSetNone() {
        Job job = trainJob();
        ModelSet trained = db.worker().run(c -> ModelSets.create(c, "plain-" + job.id(), "MAJORITY_2_OF_3",
                "v", job.id(), null, null));
        ModelSet registered = db.worker().run(c -> ModelSets.create(c, "registered-" + UUID.randomUUID(),
                "MAJORITY_2_OF_3", "v"));

        assertThat(trained.trainingJobId()).isEqualTo(job.id());
        assertThat(trained.fold()).isNull();
        assertThat(trained.foldCount()).isNull();
        assertThat(registered.trainingJobId()).isNull();
        List<ModelSet> ofJob = db.app().run(c -> ModelSets.ofTrainingJob(c, job.id()));
        assertThat(ofJob).containsExactly(trained);
    }

    @Test
    void aFoldOutsideOneToFoldCountOrHalfAFoldIsRefused() {
        Job job = trainJob();
        assertThatThrownBy(() -> db.worker().run(c -> ModelSets.create(c, "x-" + UUID.randomUUID(),
                "MAJORITY_2_OF_3", "v", job.id(), 3, 2))).hasMessageStartingWith("fold:");
        assertThatThrownBy(() -> db.worker().run(c -> ModelSets.create(c, "x-" + UUID.randomUUID(),
                "MAJORITY_2_OF_3", "v", job.id(), 1, null))).hasMessageStartingWith("fold and foldCount:");
        // why raw SQL: the table's CHECK must hold whatever code writes it
        for (String values : List.of("1, NULL", "NULL, 2", "0, 2", "3, 2", "1, 1")) {
            assertThatThrownBy(() -> db.worker().run(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_sets (name, code_version, "
                        + "training_job_id, fold, fold_count) VALUES (?, 'v', ?, " + values + ")")) {
                    ps.setString(1, "raw-" + UUID.randomUUID());
                    ps.setObject(2, job.id());
                    return ps.executeUpdate();
                }
            })).as(values).isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo(CHECK_VIOLATION));
        }
    }

    @Test
    void theFoldModelsOfAJobCarryTheirBestValidationMeanIouFromTheRegistry() {
        Job job = trainJob();
        ModelSet first = db.worker().run(c -> ModelSets.create(c, "iou-" + job.id() + "-fold1of2",
                "MAJORITY_2_OF_3", "v", job.id(), 1, 2));
        ModelSet second = db.worker().run(c -> ModelSets.create(c, "iou-" + job.id() + "-fold2of2",
                "MAJORITY_2_OF_3", "v", job.id(), 2, 2));
        Model a1 = db.worker().run(c -> Models.insert(c, model(first.id(), Plane.AXIAL, "{\"meanIoU\": 0.25}")));
        Model a2 = db.worker().run(c -> Models.insert(c, model(second.id(), Plane.AXIAL, "{\"meanIoU\": 0.75}")));
        Model s2 = db.worker().run(c -> Models.insert(c, model(second.id(), Plane.SAGITTAL, "{\"meanIoU\": null}")));

        List<FoldModel> rows = db.app().run(c -> ModelSets.foldModelsOf(c, job.id()));

        assertThat(rows).containsExactly(
                new FoldModel(1, first.id(), Plane.AXIAL, a1.id(), 0.25),
                new FoldModel(2, second.id(), Plane.AXIAL, a2.id(), 0.75),
                new FoldModel(2, second.id(), Plane.SAGITTAL, s2.id(), null));
    }

    @Test
    void theAuditListFindsAKFoldJobByAnyOfItsFoldSetsAndTheirModels() {
        Job job = trainJob();
        ModelSet second = db.worker().run(c -> ModelSets.create(c, "audit-" + job.id() + "-fold2of2",
                "MAJORITY_2_OF_3", "v", job.id(), 2, 2));
        Model model = db.worker().run(c -> Models.insert(c, model(second.id(), Plane.CORONAL, "{}")));
        Job other = trainJob();

        List<Job> bySet = db.app().inTenant(tenant, c -> AuditQueries.listJobs(c,
                new JobFilter(null, null, second.id(), null, null, null), 100));
        List<Job> byModel = db.app().inTenant(tenant, c -> AuditQueries.listJobs(c,
                new JobFilter(null, null, null, model.id(), null, null), 100));

        assertThat(bySet).extracting(Job::id).containsExactly(job.id()).doesNotContain(other.id());
        assertThat(byModel).extracting(Job::id).containsExactly(job.id());
    }

    private static Model model(UUID setId, Plane plane, String validationMetrics) {
        return new Model(null, setId, plane, "unet", "{}", 1L, List.of(scans.get(0)), List.of("a".repeat(64)),
                List.of(8.0, 8.0, 8.0), List.of(32, 20), "v", 1.0, validationMetrics, "models/" + setId + "/" + plane,
                "b".repeat(64), null);
    }
}
