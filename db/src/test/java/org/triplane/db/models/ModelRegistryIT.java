package org.triplane.db.models;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.scans.Scans;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** The model registry and the per-epoch training history, as the gpu-worker writes them. */
class ModelRegistryIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static UUID tenant;
    private static UUID scan;
    private static Job trainJob;

    @BeforeAll
    static void aTrainJob() {
        tenant = db.app().run(c -> Tenants.create(c, "registry")).id();
        scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        trainJob = db.app().inTenant(tenant, c -> Jobs.submit(c,
                aJob(tenant, List.of(scan)).setKind(JobKind.TRAIN).setIdempotencyKey("train").build()).job());
    }

    private static Model model(UUID setId, Plane plane) {
        return new Model(null, setId, plane, "unet", "{\"preset\": \"small\", \"alpha\": 0.85}", 42L, List.of(scan),
                List.of("a".repeat(64)), List.of(2.0, 2.0, 2.0), List.of(128, 80), "test-version", 12.5,
                "{\"meanIoU\": 0.61}", "models/" + setId + "/" + plane + ".params", "b".repeat(64), null);
    }

    @Test
    void aModelSetHoldsOneModelPerPlane() {
        ModelSet set = db.worker().run(c -> ModelSets.create(c, "set-" + UUID.randomUUID(), "MAJORITY_2_OF_3", "v"));
        for (Plane p : Plane.values()) {
            db.worker().run(c -> Models.insert(c, model(set.id(), p)));
        }
        List<Model> models = db.worker().run(c -> Models.ofSet(c, set.id()));
        assertThat(models).extracting(Model::plane).containsExactlyInAnyOrder(Plane.values());
        Model axial = models.stream().filter(m -> m.plane() == Plane.AXIAL).findFirst().orElseThrow();
        assertThat(axial.trainingScanIds()).containsExactly(scan);
        assertThat(axial.voxelSpacingMm()).containsExactly(2.0, 2.0, 2.0);
        assertThat(axial.sliceSize()).containsExactly(128, 80);
        assertThat(axial.hyperParametersJson()).contains("\"alpha\": 0.85");
        assertThat(axial.trainingDurationSeconds()).isEqualTo(12.5);
        assertThat(axial.createdAt()).isNotNull();
        assertThatThrownBy(() -> db.worker().run(c -> Models.insert(c, model(set.id(), Plane.AXIAL))))
                .isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(((DataAccessException) e).sqlState()).isEqualTo(DataAccessException.UNIQUE_VIOLATION));
        // why: clients read the registry through the app role
        List<Model> registry = db.app().run(c -> Models.recent(c, 100));
        assertThat(registry).extracting(Model::id).contains(axial.id());
    }

    @Test
    void epochsAreRecordedAsTheyHappenAndAResumedEpochReplacesItsRow() {
        Task train = db.worker().run(c -> Tasks.create(c, NewTask.forTraining(trainJob, Plane.SAGITTAL), "test"));
        List<Double> iou = new ArrayList<>(Collections.nCopies(21, 0.5));
        iou.set(7, Double.NaN);
        db.worker().run(c -> {
            TrainingEpochs.upsert(c, new TrainingEpoch(train.id(), tenant, 1, 1, 0.9, 2.1, 0.04, 0.95, 2.3, 0.05, 0.2, iou, 3.0, null));
            TrainingEpochs.upsert(c, new TrainingEpoch(train.id(), tenant, 1, 2, 0.7, 1.5, 0.03, 0.8, 1.9, 0.04, 0.3, iou, 3.1, null));
            return null;
        });
        db.worker().run(c -> {
            TrainingEpochs.upsert(c, new TrainingEpoch(train.id(), tenant, 2, 2, 0.6, null, null, null, null, null, null, null, 2.9, null));
            return null;
        });
        List<TrainingEpoch> history = db.app().inTenant(tenant, c -> TrainingEpochs.ofTask(c, train.id()));
        assertThat(history).extracting(TrainingEpoch::epoch).containsExactly(1, 2);
        assertThat(history.get(0).validationIou().get(7)).isNaN();
        assertThat(history.get(0).validationMeanIou()).isEqualTo(0.2);
        assertThat(history.get(1).attempt()).isEqualTo(2);
        assertThat(history.get(1).trainLoss()).isEqualTo(0.6);
        assertThat(history.get(1).validationIou()).isNull();
        // why: row-level security hides another tenant's training history
        UUID other = db.app().run(c -> Tenants.create(c, "other")).id();
        List<TrainingEpoch> hidden = db.app().inTenant(other, c -> TrainingEpochs.ofTask(c, train.id()));
        assertThat(hidden).isEmpty();
    }

    @Test
    void aJobNamesTheModelSetItProduces() {
        ModelSet set = db.worker().run(c -> ModelSets.create(c, "produced-" + UUID.randomUUID(), "MAJORITY_2_OF_3", "v"));
        Job job = db.worker().run(c -> Jobs.find(c, trainJob.id()).orElseThrow());
        Job updated = db.worker().run(c -> Jobs.assignModelSet(c, job, set.id()));
        assertThat(updated.modelSetId()).isEqualTo(set.id());
        assertThat(updated.version()).isEqualTo(job.version() + 1);
        assertThatThrownBy(() -> db.worker().run(c -> Jobs.assignModelSet(c, job, set.id())))
                .isInstanceOf(OptimisticLockException.class);
    }
}
