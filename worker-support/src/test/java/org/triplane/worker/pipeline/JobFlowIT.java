package org.triplane.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.Tx;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
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
import org.triplane.events.PlaneTask;
import org.triplane.imaging.plane.Plane;
import org.triplane.testing.TestStack;

/**
 * The pipeline's rules for a SEGMENT job on the local stack's real PostgreSQL, each step in its own
 * transaction as the workers run it: stage by stage to SUCCEEDED once every scan is fused, and a
 * failed plane failing the scan and the job with nothing fused after it.
 */
class JobFlowIT {

    @TempDir
    static Path dir;

    private static final JobFlow flow = new JobFlow();
    private static final ScanGeometry GRID = new ScanGeometry(List.of(48, 48, 24), List.of(4.8, 4.8, 5.7),
            List.of(0.0, 0.0, 0.0), List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0));
    private static TestStack stack;
    private static Tx tx;
    private static UUID tenant;

    @BeforeAll
    static void stack() throws Exception {
        stack = TestStack.start(dir);
        tx = stack.owner().tx();
        tenant = tx.run(c -> Tenants.create(c, "job-flow-" + UUID.randomUUID())).id();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aSegmentJobMovesStageByStageAndSucceedsOnceEveryScanIsFused() {
        List<UUID> scans = List.of(scan(), scan());
        Job job = segmentJob(scans);

        List<Task> fusions = new ArrayList<>();
        for (UUID scan : scans) {
            Task preprocess = tx.run(c -> flow.scanAccepted(c, job(job), jobScan(job, scan), "it"));
            assertThat(preprocess.kind()).isEqualTo(TaskKind.PREPROCESS);
            assertThat(preprocess.state()).isEqualTo(TaskState.PENDING);
            assertThat(job(job).state()).isEqualTo(JobState.RUNNING);
            assertThat(jobScan(job, scan).state()).isEqualTo(JobScanState.RUNNING);
            Task redelivered = tx.run(c -> flow.scanAccepted(c, job(job), jobScan(job, scan), "it"));
            assertThat(redelivered.id()).as("a redelivered scan event finds the same task").isEqualTo(preprocess.id());

            Task done = succeed(preprocess);
            String volumeKey = "tenants/" + tenant + "/scans/" + scan + "/windowed.nii.gz";
            Announcements next = tx.run(c -> flow.preprocessed(c, job(job), done,
                    new JobFlow.PreprocessedScan(volumeKey, GRID, HuWindow.BRAIN, null)));
            assertThat(next.trainTasks()).isEmpty();
            assertThat(next.planeTasks()).extracting(PlaneTask::plane).containsExactlyInAnyOrder(Plane.values());
            assertThat(next.planeTasks()).allSatisfy(e -> assertThat(e.volumeKey()).isEqualTo(volumeKey));

            List<Task> planes = tasks(job, scan, TaskKind.PLANE);
            assertThat(planes).hasSize(3);
            for (int i = 0; i < planes.size(); i++) {
                assertThat(fusionDue(job, scan)).as("no fusion before all three planes are done").isEmpty();
                succeed(planes.get(i));
            }
            Task fusion = fusionDue(job, scan).orElseThrow();
            assertThat(fusion.kind()).isEqualTo(TaskKind.FUSION);
            assertThat(fusionDue(job, scan)).as("a later plane result finds the same fusion task")
                    .map(Task::id).contains(fusion.id());
            fusions.add(fusion);
        }

        succeed(fusions.get(0));
        tx.run(c -> {
            flow.scanFused(c, job(job), scans.get(0), "it");
            return null;
        });
        assertThat(jobScan(job, scans.get(0)).state()).isEqualTo(JobScanState.SUCCEEDED);
        assertThat(job(job).state()).as("one scan of two fused").isEqualTo(JobState.RUNNING);

        succeed(fusions.get(1));
        tx.run(c -> {
            flow.scanFused(c, job(job), scans.get(1), "it");
            return null;
        });
        assertThat(jobScan(job, scans.get(1)).state()).isEqualTo(JobScanState.SUCCEEDED);
        assertThat(job(job).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aPlaneThatFailsForGoodFailsItsScanAndItsJobAndNothingIsFusedAfterIt() {
        UUID scan = scan();
        Job job = segmentJob(List.of(scan));
        Task preprocess = succeed(tx.run(c -> flow.scanAccepted(c, job(job), jobScan(job, scan), "it")));
        tx.run(c -> flow.preprocessed(c, job(job), preprocess,
                new JobFlow.PreprocessedScan("tenants/" + tenant + "/w.nii.gz", GRID, HuWindow.BRAIN, null)));
        List<Task> planes = tasks(job, scan, TaskKind.PLANE);
        succeed(planes.get(0));
        succeed(planes.get(1));
        Task claimed = claim(planes.get(2));

        tx.run(c -> {
            flow.failed(c, claimed, "the network's weights cannot be read");
            return null;
        });

        assertThat(tasks(job, scan, TaskKind.PLANE)).filteredOn(t -> t.id().equals(claimed.id()))
                .extracting(Task::state).containsExactly(TaskState.FAILED);
        assertThat(jobScan(job, scan).state()).isEqualTo(JobScanState.FAILED);
        Job failed = job(job);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error()).contains("scan " + scan).contains("the network's weights cannot be read");
        assertThat(fusionDue(job, scan)).isEmpty();
        assertThat(tasks(job, scan, TaskKind.FUSION)).isEmpty();
    }

    private static UUID scan() {
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        NewScan scan = NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", "c".repeat(64), 1000)).setGeometry(GRID)
                .optWindow(HuWindow.BRAIN).build();
        return tx.inTenant(tenant, c -> Scans.insert(c, scan)).id();
    }

    private static Job segmentJob(List<UUID> scans) {
        return tx.inTenant(tenant, c -> Jobs.submit(c, JobRequest.builder().setTenantId(tenant).setKind(JobKind.SEGMENT)
                .setRequestedBy("it").setIdempotencyKey(UUID.randomUUID().toString()).setCodeVersion("it")
                .setScanIds(scans).build())).job();
    }

    private static Job job(Job job) {
        return tx.run(c -> Jobs.find(c, job.id())).orElseThrow();
    }

    private static JobScan jobScan(Job job, UUID scan) {
        return tx.run(c -> Jobs.scans(c, job.id())).stream().filter(s -> s.scanId().equals(scan)).findFirst()
                .orElseThrow();
    }

    private static List<Task> tasks(Job job, UUID scan, TaskKind kind) {
        return tx.run(c -> Tasks.forJob(c, job.id())).stream()
                .filter(t -> t.kind() == kind && scan.equals(t.scanId())).toList();
    }

    private static Optional<Task> fusionDue(Job job, UUID scan) {
        return tx.run(c -> flow.fusionDue(c, job(job), scan, "it"));
    }

    private static Task claim(Task task) {
        return tx.run(c -> Tasks.claim(c, task.id(), "it", 60)).orElseThrow();
    }

    /** What a worker does with its own task: claim it, then SUCCEEDED. */
    private static Task succeed(Task task) {
        Task claimed = claim(task);
        return tx.run(c -> Tasks.transition(c, claimed, TaskState.SUCCEEDED, "it", "done"));
    }
}
