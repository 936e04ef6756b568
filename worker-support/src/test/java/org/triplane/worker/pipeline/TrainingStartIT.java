package org.triplane.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.Tx;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.Tenants;
import org.triplane.events.Topics;
import org.triplane.events.TrainTask;
import org.triplane.imaging.plane.Plane;
import org.triplane.messaging.EventCodec;
import org.triplane.testing.TestStack;
import org.triplane.worker.messaging.TaskEvents;

/**
 * {@link TrainingStart} on the local stack's real PostgreSQL, in the transactions the worker runs it
 * in: a TRAIN job's last preprocessed scan starts its training, k-fold jobs with one model set and
 * three TRAIN tasks per fold, exactly once.
 */
class TrainingStartIT {

    @TempDir
    static Path dir;

    private static final EventCodec codec = new EventCodec();
    private static TestStack stack;
    private static Tx tx;
    private static TrainingStart training;
    private static UUID tenant;
    private static final List<UUID> scans = new ArrayList<>();

    @BeforeAll
    static void stackAndScans() throws Exception {
        stack = TestStack.start(dir);
        tx = stack.owner().tx();
        training = new TrainingStart(new TaskEvents());
        tenant = tx.run(c -> Tenants.create(c, "training-start-" + UUID.randomUUID())).id();
        for (int i = 0; i < 3; i++) {
            String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
            NewScan scan = NewScan.builder().setTenantId(tenant)
                    .setCt(new StoredObject(folder + "ct.nii.gz", "c".repeat(64), 1000))
                    .setGeometry(new ScanGeometry(List.of(48, 48, 24), List.of(4.8, 4.8, 5.7), List.of(0.0, 0.0, 0.0),
                            List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)))
                    .optLabels(new StoredObject(folder + "labels.nii.gz", "d".repeat(64), 100))
                    .optWindow(HuWindow.BRAIN).build();
            scans.add(tx.inTenant(tenant, c -> Scans.insert(c, scan)).id());
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Job trainJob(String parametersJson) {
        return tx.inTenant(tenant, c -> Jobs.submit(c, JobRequest.builder().setTenantId(tenant).setKind(JobKind.TRAIN)
                .setRequestedBy("it").setIdempotencyKey(UUID.randomUUID().toString()).setCodeVersion("it")
                .optParametersJson(parametersJson).setScanIds(scans).build())).job();
    }

    /** The preprocess-worker's transaction for one finished scan of the job. */
    private static List<TrainTask> preprocessed(Job job, UUID scan) {
        return tx.run(c -> training.scanPreprocessed(c, job.id(), scan, "preprocess-it"));
    }

    @Test
    void aTwoFoldJobStartsTwoModelSetsAndSixTasksOnceItsLastScanIsDone() {
        String name = "cv-" + UUID.randomUUID();
        Job job = trainJob("{\"folds\": 2, \"epochs\": 1, \"modelSetName\": \"" + name + "\"}");

        assertThat(preprocessed(job, scans.get(0))).isEmpty();
        assertThat(preprocessed(job, scans.get(1))).isEmpty();
        List<TrainTask> announced = preprocessed(job, scans.get(2));

        List<ModelSet> sets = tx.run(c -> ModelSets.ofTrainingJob(c, job.id()));
        assertThat(sets).extracting(ModelSet::name).containsExactly(name + "-fold1of2", name + "-fold2of2");
        assertThat(sets).extracting(ModelSet::fold).containsExactly(1, 2);
        assertThat(sets).allSatisfy(s -> {
            assertThat(s.foldCount()).isEqualTo(2);
            assertThat(s.trainingJobId()).isEqualTo(job.id());
            assertThat(s.fusionRule()).isEqualTo("MAJORITY_2_OF_3");
        });
        List<Task> tasks = trainTasks(job);
        assertThat(tasks).hasSize(6).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TaskState.PENDING);
            assertThat(t.scanId()).isNull();
        });
        List<String> planeFolds = tasks.stream().map(t -> t.plane() + "/" + t.fold()).toList();
        assertThat(planeFolds).containsExactlyInAnyOrder("AXIAL/1", "CORONAL/1", "SAGITTAL/1", "AXIAL/2", "CORONAL/2",
                "SAGITTAL/2");
        Job after = tx.run(c -> Jobs.find(c, job.id())).orElseThrow();
        assertThat(after.modelSetId()).as("a k-fold job names no single set").isNull();
        assertThat(after.state()).isNotEqualTo(JobState.FAILED);

        assertThat(announced).hasSize(6);
        assertThat(announced).extracting(TrainTask::taskId)
                .containsExactlyInAnyOrderElementsOf(tasks.stream().map(Task::id).toList());
        for (TrainTask e : announced) {
            Task t = tasks.stream().filter(x -> x.id().equals(e.taskId())).findFirst().orElseThrow();
            assertThat(e.fold()).isEqualTo(t.fold());
            assertThat(e.plane().name()).isEqualTo(t.plane().name());
        }
        List<String[]> outbox = outbox(job);
        assertThat(outbox).extracting(r -> r[0]).containsExactlyInAnyOrder(
                job.id() + ":axial:fold1", job.id() + ":coronal:fold1", job.id() + ":sagittal:fold1",
                job.id() + ":axial:fold2", job.id() + ":coronal:fold2", job.id() + ":sagittal:fold2");
        assertThat(outbox).allSatisfy(r -> {
            TrainTask decoded = codec.decode(Topics.TRAIN_TASKS, r[1], TrainTask.class);
            assertThat(r[0]).isEqualTo(decoded.key());
        });

        // a redelivered last scan, and any scan again: nothing new
        assertThat(preprocessed(job, scans.get(2))).isEmpty();
        assertThat(preprocessed(job, scans.get(0))).isEmpty();
        assertThat(trainTasks(job)).isEqualTo(tasks);
        assertThat(outbox(job)).hasSize(6);
        List<ModelSet> setsAgain = tx.run(c -> ModelSets.ofTrainingJob(c, job.id()));
        assertThat(setsAgain).isEqualTo(sets);
    }

    @Test
    void aJobWithoutFoldsStartsOneSetThatNamesTheJobAsBefore() {
        Job job = trainJob("{\"epochs\": 1}");
        for (UUID scan : scans) {
            preprocessed(job, scan);
        }
        Job after = tx.run(c -> Jobs.find(c, job.id())).orElseThrow();
        List<ModelSet> sets = tx.run(c -> ModelSets.ofTrainingJob(c, job.id()));
        assertThat(sets).hasSize(1);
        assertThat(sets.get(0).id()).isEqualTo(after.modelSetId());
        assertThat(sets.get(0).name()).isEqualTo("train-" + job.id());
        assertThat(sets.get(0).fold()).isNull();
        assertThat(trainTasks(job)).extracting(Task::plane).containsExactlyInAnyOrder(Plane.values());
        assertThat(trainTasks(job)).extracting(Task::fold).containsOnlyNulls();
        assertThat(outbox(job)).extracting(r -> r[0]).containsExactlyInAnyOrder(job.id() + ":axial",
                job.id() + ":coronal", job.id() + ":sagittal");
    }

    @Test
    void foldsTheGatewayWouldHaveRefusedOrATakenFoldNameFailTheJobAndStartNothing() {
        Job tooMany = trainJob("{\"folds\": 4}");
        String name = "taken-" + UUID.randomUUID();
        tx.run(c -> ModelSets.create(c, name + "-fold2of3", "MAJORITY_2_OF_3", "it"));
        Job taken = trainJob("{\"folds\": 3, \"modelSetName\": \"" + name + "\"}");
        for (UUID scan : scans) {
            preprocessed(tooMany, scan);
            preprocessed(taken, scan);
        }

        Job failed = tx.run(c -> Jobs.find(c, tooMany.id())).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).contains("folds").contains("2..3").contains("got 4");
        Job conflict = tx.run(c -> Jobs.find(c, taken.id())).orElseThrow();
        assertThat(conflict.state()).isEqualTo(JobState.FAILED);
        assertThat(conflict.error()).contains(name + "-fold2of3");
        for (Job j : List.of(tooMany, taken)) {
            assertThat(trainTasks(j)).isEmpty();
            assertThat(outbox(j)).isEmpty();
            List<ModelSet> none = tx.run(c -> ModelSets.ofTrainingJob(c, j.id()));
            assertThat(none).isEmpty();
        }
    }

    private static List<Task> trainTasks(Job job) {
        return tx.run(c -> Tasks.forJob(c, job.id())).stream().filter(t -> t.kind() == TaskKind.TRAIN).toList();
    }

    /** The job's TrainTask rows in the outbox: key and payload. */
    private static List<String[]> outbox(Job job) {
        return tx.run(c -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key, payload::text FROM outbox WHERE topic = ? AND aggregate = ?")) {
                ps.setString(1, Topics.TRAIN_TASKS);
                ps.setString(2, "job:" + job.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return rows;
        });
    }
}
