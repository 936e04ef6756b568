package org.triplane.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.triplane.testing.StackClient.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.TransformOrigin;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.ObjectKeys;
import org.triplane.events.PlaneTask;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.events.TrainTask;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.geometry.PolarDecomposition;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.messaging.EventCodec;
import org.triplane.messaging.OutboxRelay;
import org.triplane.messaging.RelaySettings;
import org.triplane.messaging.ReliableProducer;
import org.triplane.preprocess.testing.Pipeline;
import org.triplane.testing.QuickLeases;
import org.triplane.testing.ServiceProcess;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * The packaged worker as its own process against the local stack's real PostgreSQL, Kafka and
 * s3proxy. Scans are synthetic phantoms (48×48×24 at 4.8×4.8×5.7 mm). Everything started here is
 * stopped in {@link #stopAll()}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreprocessWorkerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static TestStack stack;
    private static StackClient client;
    private static Pipeline pipeline;
    private static OutboxRelay relay;
    private static org.apache.kafka.clients.producer.Producer<String, String> relayProducer;
    private static ServiceProcess worker;
    private static PhantomDataset.Result phantoms;
    private static UUID tenant;
    private static final EventCodec codec = new EventCodec();

    /** Kept from the training test for the tests that follow it. */
    private static Job trainJob;
    private static List<ScanEvent> trainEvents = new ArrayList<>();

    /** Kept from the first test for the redelivery test. */
    private static Job firstJob;
    private static List<ScanEvent> firstEvents = new ArrayList<>();

    @BeforeAll
    static void startAll() throws Exception {
        phantoms = PhantomDataset.write(PhantomSpec.of(48, 48, 24, new double[]{4.8, 4.8, 5.7}, 7), dir.resolve("phantoms"), 3, null);
        stack = TestStack.start(dir);
        client = new StackClient(stack);
        pipeline = new Pipeline(stack, client);
        relayProducer = ReliableProducer.create(stack.kafkaBootstrap(), "it-relay");
        relay = new OutboxRelay(stack.owner().tx(), relayProducer, RelaySettings.DEFAULTS);
        relay.start();
        tenant = pipeline.tenant("it-" + UUID.randomUUID());
        worker = worker("worker-1", Map.of());
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            if (worker != null) {
                worker.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (relayProducer != null) {
                relayProducer.close();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    @Order(1)
    void threeScansAreWindowedStoredAndSplitIntoNinePlaneTasks() throws Exception {
        List<Scan> scans = new ArrayList<>();
        for (PhantomDataset.SubjectFiles s : phantoms.subjects()) {
            scans.add(pipeline.scan(tenant, ct(s), transform(s), null));
        }
        firstJob = pipeline.job(tenant, scans.stream().map(Scan::id).toList());
        for (Scan s : scans) {
            ScanEvent e = pipeline.event(firstJob, s);
            firstEvents.add(e);
            pipeline.publish(e);
        }

        await("3 preprocess tasks SUCCEEDED", TIMEOUT, () -> preprocessTasks(firstJob.id()).stream()
                .filter(t -> t.state() == TaskState.SUCCEEDED).count() == 3);

        for (int i = 0; i < scans.size(); i++) {
            PhantomDataset.SubjectFiles files = phantoms.subjects().get(i);
            assertStoredVolumeEqualsTheCore(scans.get(i), ct(files), transform(files));
        }
        List<Task> tasks = tasks(firstJob.id());
        assertThat(tasks).filteredOn(t -> t.kind() == TaskKind.PLANE).hasSize(9)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.PENDING));
        for (Task t : preprocessTasks(firstJob.id())) {
            assertThat(t.timingsJson()).contains("download_ms", "register_ms", "rotate_window_ms", "upload_ms");
            assertThat(states(history(t.id()))).containsExactly("null>PENDING", "PENDING>RUNNING", "RUNNING>SUCCEEDED");
            assertThat(t.worker()).isEqualTo("worker-1");
        }
        Job job = findJob(firstJob.id());
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(states(stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.JOB, job.id()))))
                .containsExactly("null>SUBMITTED", "SUBMITTED>RUNNING");

        List<String> outboxKeys = outboxKeys(Topics.PLANE_TASKS, firstJob.id());
        assertThat(outboxKeys).hasSize(9).doesNotHaveDuplicates();
        await("9 plane tasks on Kafka", TIMEOUT, () -> planeTasksOnKafka(firstJob.id()).size() == 9);
        List<PlaneTask> onKafka = planeTasksOnKafka(firstJob.id());
        assertThat(onKafka.stream().map(PlaneTask::key).distinct()).hasSize(9);
        Set<UUID> planeTaskIds = new HashSet<>();
        tasks.stream().filter(t -> t.kind() == TaskKind.PLANE).forEach(t -> planeTaskIds.add(t.id()));
        assertThat(onKafka).allSatisfy(p -> {
            assertThat(planeTaskIds).contains(p.taskId());
            assertThat(p.volumeKey()).isEqualTo(ObjectKeys.preprocessed(tenant, p.scanId()));
            assertThat(p.dims()).containsExactly(48, 48, 24);
            assertThat(p.windowLow()).isEqualTo(-124);
            assertThat(p.windowHigh()).isEqualTo(130);
        });
    }

    @Test
    @Order(2)
    void aRedeliveredEventChangesNothing() throws Exception {
        ScanEvent again = firstEvents.get(0);
        List<StateTransition> before = history(preprocessTask(firstJob.id(), again.scanId()).id());
        int outboxBefore = outboxKeys(Topics.PLANE_TASKS, firstJob.id()).size();

        pipeline.publish(again);
        pipeline.publish(again);
        client.awaitConsumed("triplane-preprocess-worker", Topics.SCAN_EVENTS, TIMEOUT);

        assertThat(history(preprocessTask(firstJob.id(), again.scanId()).id())).isEqualTo(before);
        assertThat(tasks(firstJob.id())).hasSize(12);
        assertThat(outboxKeys(Topics.PLANE_TASKS, firstJob.id())).hasSize(outboxBefore);
        assertThat(processedCount(again.eventId().toString())).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aWorkerKilledMidTaskLosesNothingAndTheTaskCompletesOnce() throws Exception {
        worker.close();
        worker = null;
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(1);
        Scan scan = pipeline.scan(tenant, ct(files), transform(files), null);
        Job job = pipeline.job(tenant, List.of(scan.id()));
        ServiceProcess slow = worker("worker-doomed",
                Map.of("triplane.preprocess.test-delay-after-claim", "60s"));
        Task running;
        try {
            pipeline.publish(pipeline.event(job, scan));
            await("task RUNNING on the doomed worker", TIMEOUT, () -> preprocessTasks(job.id()).stream()
                    .anyMatch(t -> t.state() == TaskState.RUNNING && "worker-doomed".equals(t.worker())));
            running = preprocessTasks(job.id()).get(0);
        } finally {
            slow.kill();
        }

        worker = worker("worker-2", Map.of());
        await("task SUCCEEDED after the reclaim", TIMEOUT, () -> preprocessTasks(job.id()).stream()
                .anyMatch(t -> t.state() == TaskState.SUCCEEDED));

        Task done = preprocessTask(job.id(), scan.id());
        assertThat(done.worker()).isEqualTo("worker-2");
        assertThat(done.attempt()).isEqualTo(2);
        List<StateTransition> log = history(running.id());
        assertThat(states(log)).containsExactly("null>PENDING", "PENDING>RUNNING", "RUNNING>PENDING", "PENDING>RUNNING",
                "RUNNING>SUCCEEDED");
        assertThat(log.get(1).actor()).isEqualTo("worker-doomed");
        assertThat(log.get(2).reason()).contains("lease expired").contains("worker-doomed");
        assertThat(log.get(3).actor()).isEqualTo("worker-2");
        assertThat(tasks(job.id())).filteredOn(t -> t.kind() == TaskKind.PLANE).hasSize(3);
        assertThat(outboxKeys(Topics.PLANE_TASKS, job.id())).hasSize(3).doesNotHaveDuplicates();
        assertStoredVolumeEqualsTheCore(scan, ct(files), transform(files));
    }

    @Test
    @Order(4)
    void theObjectStoreDownForAFewSecondsIsRetriedToOneCorrectResult() throws Exception {
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(2);
        Scan scan = pipeline.scan(tenant, ct(files), transform(files), null);
        Job job = pipeline.job(tenant, List.of(scan.id()));

        stack.stopObjectStore();
        try {
            pipeline.publish(pipeline.event(job, scan));
            await("task RUNNING while the object store is down", TIMEOUT, () -> preprocessTasks(job.id()).stream()
                    .anyMatch(t -> t.state() == TaskState.RUNNING));
            // why the fifth failure: with the default backoff the worker has then kept the task through 3.75 s of
            // pauses and waits 4 s more before its next try, so the run outlasts its 4 s lease however soon the store
            // is back, and the single attempt checked below shows the lease was kept while it retried
            String fifthFailure = "download " + scan.ct().key() + " failed (5 of ";
            await("the worker's fifth failed download of the CT", TIMEOUT, () -> worker.logged(fifthFailure));
            HttpResponse<String> ready = worker.get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).as("the kit's readiness names the bucket as what is down")
                    .containsPattern("\"objectStore\"\\s*:\\s*false").containsPattern("\"postgres\"\\s*:\\s*true");
        } finally {
            stack.up();
        }

        await("task SUCCEEDED after the object store is back", TIMEOUT, () -> preprocessTasks(job.id()).stream()
                .anyMatch(t -> t.state() == TaskState.SUCCEEDED));
        Task done = preprocessTask(job.id(), scan.id());
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(states(history(done.id()))).containsExactly("null>PENDING", "PENDING>RUNNING", "RUNNING>SUCCEEDED");
        assertThat(tasks(job.id())).filteredOn(t -> t.kind() == TaskKind.PLANE).hasSize(3);
        assertStoredVolumeEqualsTheCore(scan, ct(files), transform(files));
        assertThat(worker.get("/q/metrics").body()).contains("triplane_preprocess_tasks_total");
    }

    @Test
    @Order(5)
    void aChecksumMismatchIsDeadLetteredAndFailsTheJobWithTheReason() throws Exception {
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(0);
        String wrong = "0".repeat(64);
        Scan scan = pipeline.scan(tenant, ct(files), transform(files), wrong);
        Job job = pipeline.job(tenant, List.of(scan.id()));

        pipeline.publish(pipeline.event(job, scan));

        await("job FAILED", TIMEOUT, () -> findJob(job.id()).state() == JobState.FAILED);
        Job failed = findJob(job.id());
        assertThat(failed.error()).contains("SHA-256").contains(wrong).contains(scan.ct().key());
        Task task = preprocessTask(job.id(), scan.id());
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.error()).contains("SHA-256");
        assertThat(stack.owner().tx().run(c -> Jobs.scans(c, job.id())).get(0).state())
                .isEqualTo(JobScanState.FAILED);
        assertThat(tasks(job.id())).filteredOn(t -> t.kind() == TaskKind.PLANE).isEmpty();
        // why a wait: the dead letter reaches Kafka through the outbox, after the job's FAILED is committed
        stack.awaitJobEventsPublished(job.id(), TIMEOUT);
        List<ConsumerRecord<String, String>> dead = client.readAll(Topics.DEAD_LETTER, Duration.ofSeconds(10));
        assertThat(dead).filteredOn(r -> scan.id().toString().equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("SHA-256").contains(job.id().toString()));
    }

    @Test
    @Order(6)
    void aScanDroppedIntoTheBucketIsRegisteredOnceAndPreprocessed() throws Exception {
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(1);
        String folder = "incoming/" + tenant + "/study 1/";
        client.put(ct(files), folder + "ct.nii.gz");
        client.put(transform(files), folder + "transform.txt");

        // both files announced, and the CT announced twice (at-least-once delivery)
        pipeline.publishNotification(folder + "ct.nii.gz");
        pipeline.publishNotification(folder + "transform.txt");
        pipeline.publishNotification(folder + "ct.nii.gz");
        client.awaitConsumed("triplane-preprocess-worker", Topics.BUCKET_NOTIFICATIONS, TIMEOUT);

        List<UUID> jobs = jobsWithIdempotencyKey("bucket:" + folder);
        assertThat(jobs).hasSize(1);
        await("dropped scan preprocessed", TIMEOUT, () -> preprocessTasks(jobs.get(0)).stream()
                .anyMatch(t -> t.state() == TaskState.SUCCEEDED));
        Task done = preprocessTasks(jobs.get(0)).get(0);
        Scan scan = stack.owner().tx().run(c -> Scans.find(c, done.scanId())).orElseThrow();
        assertThat(scan.ct().key()).isEqualTo(folder + "ct.nii.gz");
        assertThat(scan.transformFile().key()).isEqualTo(folder + "transform.txt");
        assertThat(tasks(jobs.get(0))).filteredOn(t -> t.kind() == TaskKind.PLANE).hasSize(3);
        assertStoredVolumeEqualsTheCore(scan, ct(files), transform(files));
    }

    @Test
    @Order(7)
    void readinessReportsEachDependency() throws Exception {
        HttpResponse<String> ready = worker.get("/q/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"worker\"", "\"kafka\"", "\"outbox-relay\"")
                .containsPattern("\"postgres\"\\s*:\\s*true").containsPattern("\"objectStore\"\\s*:\\s*true");
    }

    @Test
    @Order(8)
    void aPlaneTaskWhoseGpuWorkerDiedIsRequeuedAndAnnouncedAgain() throws Exception {
        Task plane = tasks(firstJob.id()).stream().filter(t -> t.kind() == TaskKind.PLANE).findFirst().orElseThrow();
        int before = outboxKeys(Topics.PLANE_TASKS, firstJob.id()).size();

        Task claimed = stack.owner().tx().run(c -> Tasks.claim(c, plane.id(), "gpu-doomed", 1)).orElseThrow();

        await("plane task requeued by the sweeper", TIMEOUT, () -> tasks(firstJob.id()).stream()
                .anyMatch(t -> t.id().equals(claimed.id()) && t.state() == TaskState.PENDING && t.attempt() == 2));
        List<String> keys = outboxKeys(Topics.PLANE_TASKS, firstJob.id());
        assertThat(keys).hasSize(before + 1);
        await("the plane task announced again on Kafka", TIMEOUT, () -> planeTasksOnKafka(firstJob.id()).stream()
                .filter(p -> p.taskId().equals(plane.id())).count() == 2);
    }

    @Test
    @Order(9)
    void aTrainJobOfTwoLabelledScansStartsTrainingOnceItsLastScanIsPreprocessed() throws Exception {
        List<Scan> scans = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            PhantomDataset.SubjectFiles files = phantoms.subjects().get(i);
            scans.add(pipeline.labelledScan(tenant, ct(files), transform(files), labels(files)));
        }
        String setName = "it-train-" + UUID.randomUUID();
        trainJob = pipeline.job(tenant, JobKind.TRAIN, "{\"modelSetName\": \"" + setName + "\", \"epochs\": 2}",
                scans.stream().map(Scan::id).toList());
        for (Scan s : scans) {
            ScanEvent e = pipeline.event(trainJob, s);
            trainEvents.add(e);
            pipeline.publish(e);
        }

        await("3 TRAIN tasks", TIMEOUT, () -> trainTasks(trainJob.id()).size() == 3);
        assertThat(preprocessTasks(trainJob.id())).hasSize(2).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED));
        List<Task> train = trainTasks(trainJob.id());
        assertThat(train).extracting(Task::plane).containsExactlyInAnyOrder(Plane.values());
        assertThat(train).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(TaskState.PENDING);
            assertThat(t.scanId()).isNull();
            assertThat(t.attempt()).isEqualTo(1);
        });
        assertThat(tasks(trainJob.id())).filteredOn(t -> t.kind() == TaskKind.PLANE).isEmpty();
        assertThat(tasks(trainJob.id())).hasSize(5);

        Job job = findJob(trainJob.id());
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.modelSetId()).isNotNull();
        ModelSet set = stack.owner().tx().run(c -> ModelSets.find(c, job.modelSetId())).orElseThrow();
        assertThat(set.name()).isEqualTo(setName);
        assertThat(set.fusionRule()).isEqualTo("MAJORITY_2_OF_3");
        assertThat(set.codeVersion()).isEqualTo("it");
        List<JobScan> jobScans = stack.owner().tx().run(c -> Jobs.scans(c, job.id()));
        assertThat(jobScans).extracting(JobScan::state).containsOnly(JobScanState.SUCCEEDED).hasSize(2);

        List<String> expectedKeys = Stream.of("axial", "coronal", "sagittal").map(p -> trainJob.id() + ":" + p).toList();
        assertThat(outboxKeys(Topics.TRAIN_TASKS, trainJob.id())).containsExactlyInAnyOrderElementsOf(expectedKeys);
        assertThat(outboxKeys(Topics.PLANE_TASKS, trainJob.id())).isEmpty();
        await("3 train tasks on Kafka", TIMEOUT, () -> trainTasksOnKafka(trainJob.id()).size() == 3);
        List<ConsumerRecord<String, String>> records = trainTaskRecords(trainJob.id());
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(expectedKeys);
        Set<UUID> trainTaskIds = new HashSet<>(train.stream().map(Task::id).toList());
        assertThat(trainTasksOnKafka(trainJob.id())).allSatisfy(e -> {
            assertThat(trainTaskIds).contains(e.taskId());
            assertThat(e.tenantId()).isEqualTo(tenant);
            assertThat(e.plane().name()).isEqualTo(train.stream().filter(t -> t.id().equals(e.taskId())).findFirst()
                    .orElseThrow().plane().name());
        });
    }

    @Test
    @Order(10)
    void aDuplicateScanEventOfTheTrainJobChangesNothing() throws Exception {
        Job before = findJob(trainJob.id());
        List<Task> tasksBefore = tasks(trainJob.id());
        ScanEvent again = trainEvents.get(1);
        Scan scan = stack.owner().tx().run(c -> Scans.find(c, again.scanId())).orElseThrow();

        pipeline.publish(again);
        pipeline.publish(pipeline.event(trainJob, scan));
        client.awaitConsumed("triplane-preprocess-worker", Topics.SCAN_EVENTS, TIMEOUT);

        assertThat(findJob(trainJob.id())).isEqualTo(before);
        assertThat(tasks(trainJob.id())).isEqualTo(tasksBefore);
        assertThat(outboxKeys(Topics.TRAIN_TASKS, trainJob.id())).hasSize(3);
        String name = stack.owner().tx().run(c -> ModelSets.find(c, before.modelSetId())).orElseThrow().name();
        assertThat(modelSetsNamed(name)).isEqualTo(1);
        assertThat(modelSetsNamed("train-" + trainJob.id())).isZero();
    }

    @Test
    @Order(11)
    void aTrainTaskWhoseGpuWorkerDiedIsAnnouncedAgainAndItsLastFailureFailsTheJob() throws Exception {
        Task axial = trainTasks(trainJob.id()).stream().filter(t -> t.plane() == Plane.AXIAL)
                .findFirst().orElseThrow();

        stack.owner().tx().run(c -> Tasks.claim(c, axial.id(), "gpu-doomed", 1)).orElseThrow();
        await("train task requeued by the sweeper", TIMEOUT, () -> task(axial.id()).state() == TaskState.PENDING
                && task(axial.id()).attempt() == 2);
        assertThat(outboxKeys(Topics.TRAIN_TASKS, trainJob.id())).hasSize(4);
        await("the train task announced again on Kafka", TIMEOUT, () -> trainTasksOnKafka(trainJob.id()).stream()
                .filter(e -> e.taskId().equals(axial.id())).count() == 2);
        assertThat(findJob(trainJob.id()).state()).isEqualTo(JobState.RUNNING);

        for (int attempt = 2; attempt <= 3; attempt++) {
            int current = attempt;
            await("train task PENDING for attempt " + current, TIMEOUT,
                    () -> task(axial.id()).state() == TaskState.PENDING && task(axial.id()).attempt() == current);
            stack.owner().tx().run(c -> Tasks.claim(c, axial.id(), "gpu-doomed-" + current, 1)).orElseThrow();
        }
        await("job FAILED after the last attempt", TIMEOUT, () -> findJob(trainJob.id()).state() == JobState.FAILED);

        assertThat(task(axial.id()).state()).isEqualTo(TaskState.FAILED);
        assertThat(findJob(trainJob.id()).error()).contains("AXIAL").contains(axial.id().toString())
                .contains("lease expired on the last attempt 3 of 3");
        // why 5: the first announcement, then one per requeue (attempts 2 and 3); the failure announces nothing
        assertThat(outboxKeys(Topics.TRAIN_TASKS, trainJob.id())).hasSize(5);
    }

    @Test
    @Order(12)
    void aScanWithoutATransformIsAlignedByTheAtlasAndItsDerivedTransformReproducesTheVolume() throws Exception {
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(0);
        Scan bare = pipeline.bareScan(tenant, ct(files));
        Job job = pipeline.job(tenant, List.of(bare.id()));
        ScanEvent event = pipeline.event(job, bare);
        assertThat(event.transformKey()).isNull();

        pipeline.publish(event);
        await("preprocess task SUCCEEDED", TIMEOUT, () -> preprocessTasks(job.id()).stream()
                .anyMatch(t -> t.state() == TaskState.SUCCEEDED));

        Scan scan = stack.owner().tx().run(c -> Scans.find(c, bare.id())).orElseThrow();
        assertThat(scan.transformOrigin()).isEqualTo(TransformOrigin.DERIVED);
        assertThat(scan.transformFile().key()).isEqualTo(ObjectKeys.derivedTransform(tenant, bare.id()));
        Path derived = dir.resolve("derived-" + bare.id() + ".txt");
        Files.write(derived, client.get(scan.transformFile().key()));
        assertThat(org.triplane.imaging.checksum.Sha256.of(derived)).isEqualTo(scan.transformFile().sha256());
        assertThat(Files.size(derived)).isEqualTo(scan.transformFile().sizeBytes());

        // the downloaded file, applied with the project's resampler, gives exactly the worker's volume
        assertStoredVolumeEqualsTheCore(scan, ct(files), derived);
        // and its rotation is the phantom's true pose (the N.txt the generator wrote) within 1.5°
        AffineTransform truth = ItkTransformFile.read(transform(files));
        AffineTransform found = ItkTransformFile.read(derived);
        assertThat(found.isRotation(1e-6)).isTrue();
        assertThat(Math.toDegrees(PolarDecomposition.angleBetween(truth.matrix(), found.matrix()))).isLessThan(1.5);
        assertThat(scan.transform().eulerDeg()).hasSize(3);

        ScanRegistration reg = registration(bare.id()).orElseThrow();
        assertThat(reg.method()).isEqualTo("atlas-affine-ncc");
        assertThat(reg.quality()).isBetween(0.85, 1.0);
        assertThat(reg.seconds()).isPositive();
        assertThat(preprocessTask(job.id(), bare.id()).timingsJson()).contains("register_ms");
        await("3 plane tasks on Kafka", TIMEOUT, () -> planeTasksOnKafka(job.id()).size() == 3);
        assertThat(planeTasksOnKafka(job.id())).allSatisfy(p -> assertThat(p.rotatedToAtlas())
                .containsExactly(reg.rotatedToAtlas().stream().mapToDouble(Double::doubleValue).toArray()));

        // a redelivery and a second job over the same scan keep one registration and the same transform
        pipeline.publish(event);
        Job second = pipeline.job(tenant, List.of(bare.id()));
        pipeline.publish(pipeline.event(second, scan));
        await("second job's preprocess task SUCCEEDED", TIMEOUT, () -> preprocessTasks(second.id()).stream()
                .anyMatch(t -> t.state() == TaskState.SUCCEEDED));
        Scan after = stack.owner().tx().run(c -> Scans.find(c, bare.id())).orElseThrow();
        assertThat(after.transformFile()).isEqualTo(scan.transformFile());
        assertThat(after.transform()).isEqualTo(scan.transform());
        assertThat(registrationRows(bare.id())).isEqualTo(1);
        assertThat(tasks(job.id())).filteredOn(t -> t.kind() == TaskKind.PLANE).hasSize(3);

        // scans that came with a transform keep it, with origin uploaded, and have a registration too
        for (Scan uploaded : stack.owner().tx().run(c -> Jobs.scans(c, firstJob.id())).stream()
                .map(js -> stack.owner().tx().run(c -> Scans.find(c, js.scanId())).orElseThrow()).toList()) {
            assertThat(uploaded.transformOrigin()).isEqualTo(TransformOrigin.UPLOADED);
            assertThat(registration(uploaded.id())).isPresent();
        }
    }

    @Test
    @Order(13)
    void aUniformVolumeWithoutATransformFailsItsJobNamingTheScanAndTheQualityAndLeavesNothingBehind() throws Exception {
        Volume uniform = Volume.allocate(NiftiReader.read(ct(phantoms.subjects().get(0))).geometry(), DataType.INT16);
        for (int i = 0, n = uniform.voxels().length(); i < n; i++) {
            uniform.voxels().set(i, 40);
        }
        Path file = dir.resolve("uniform.nii.gz");
        NiftiWriter.write(uniform, file);
        Scan bare = pipeline.bareScan(tenant, file);
        Job job = pipeline.job(tenant, List.of(bare.id()));

        pipeline.publish(pipeline.event(job, bare));

        await("job FAILED", TIMEOUT, () -> findJob(job.id()).state() == JobState.FAILED);
        Job failed = findJob(job.id());
        assertThat(failed.error()).contains("scan " + bare.id()).contains(bare.ct().key()).contains("quality (NCC)")
                .contains("refused");
        assertThat(preprocessTask(job.id(), bare.id()).state()).isEqualTo(TaskState.FAILED);
        assertThat(stack.owner().tx().run(c -> Jobs.scans(c, job.id())).get(0).state())
                .isEqualTo(JobScanState.FAILED);
        assertThat(tasks(job.id())).filteredOn(t -> t.kind() == TaskKind.PLANE).isEmpty();
        Scan scan = stack.owner().tx().run(c -> Scans.find(c, bare.id())).orElseThrow();
        assertThat(scan.transformFile()).isNull();
        assertThat(scan.transformOrigin()).isNull();
        assertThat(registration(bare.id())).isEmpty();
        assertThat(client.exists(ObjectKeys.derivedTransform(tenant, bare.id()))).isFalse();
        assertThat(client.exists(ObjectKeys.preprocessed(tenant, bare.id()))).isFalse();
        stack.awaitJobEventsPublished(job.id(), TIMEOUT);
        List<ConsumerRecord<String, String>> dead = client.readAll(Topics.DEAD_LETTER, Duration.ofSeconds(10));
        assertThat(dead).filteredOn(r -> bare.id().toString().equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("quality (NCC)"));
    }

    @Test
    @Order(14)
    void aPoisonTaskWhileKafkaIsDownHasItsReasonRecordedAndItsDeadLetterPublishedOnceKafkaIsBack() throws Exception {
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(2);
        String wrong = "f".repeat(64);
        Scan scan = pipeline.scan(tenant, ct(files), transform(files), wrong);
        Job job = pipeline.job(tenant, List.of(scan.id()));

        stack.killKafka();
        Task task;
        try {
            // why no event: with the broker gone, the worker finds the task in the table as it finds a requeued one
            task = stack.owner().tx().run(c -> Tasks.create(c,
                    NewTask.forScan(job, scan.id(), TaskKind.PREPROCESS), "it"));

            await("job FAILED while Kafka is down", TIMEOUT, () -> findJob(job.id()).state() == JobState.FAILED);
            assertThat(findJob(job.id()).error()).contains("SHA-256").contains(wrong);
            assertThat(task(task.id()).state()).isEqualTo(TaskState.FAILED);
            assertThat(task(task.id()).attempt()).isEqualTo(1);
            assertThat(deadLetterRows(job.id())).singleElement().satisfies(row -> {
                assertThat(row.get("reason")).contains("SHA-256").contains(wrong);
                assertThat(row.get("task_id")).isEqualTo(task.id().toString());
                assertThat(row.get("scan_id")).isEqualTo(scan.id().toString());
                assertThat(row.get("consumer")).isEqualTo("preprocess-worker");
            });
            assertThat(deadLetterOutbox(job.id())).containsExactly(false);
        } finally {
            stack.up();
        }

        await("the dead letter published once Kafka is back", TIMEOUT,
                () -> deadLetterOutbox(job.id()).equals(List.of(true)));
        List<ConsumerRecord<String, String>> dead = client.readAll(Topics.DEAD_LETTER, Duration.ofSeconds(10));
        assertThat(dead).filteredOn(r -> scan.id().toString().equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("SHA-256").contains(task.id().toString())
                        .contains(job.id().toString()));

        // the worker's consumer came back with the broker: a good scan goes through
        PhantomDataset.SubjectFiles good = phantoms.subjects().get(1);
        Scan next = pipeline.scan(tenant, ct(good), transform(good), null);
        Job nextJob = pipeline.job(tenant, List.of(next.id()));
        pipeline.publish(pipeline.event(nextJob, next));
        await("a scan after the outage preprocessed", TIMEOUT, () -> preprocessTasks(nextJob.id()).stream()
                .anyMatch(t -> t.state() == TaskState.SUCCEEDED));
    }

    @Test
    @Order(15)
    void aPoisonEventReadAgainAddsNoSecondDeadLetter() throws Exception {
        PhantomDataset.SubjectFiles files = phantoms.subjects().get(0);
        Scan scan = pipeline.scan(tenant, ct(files), transform(files), null);
        Job job = pipeline.job(tenant, List.of(scan.id()));
        ScanEvent right = pipeline.event(job, scan);
        ScanEvent wrongChecksum = new ScanEvent(right.schemaVersion(), right.eventId(), right.tenantId(), right.jobId(),
                right.scanId(), right.ctKey(), right.transformKey(), right.labelsKey(), "e".repeat(64), right.occurredAt());

        pipeline.publish(wrongChecksum);
        await("job FAILED", TIMEOUT, () -> findJob(job.id()).state() == JobState.FAILED);
        await("its dead letter published", TIMEOUT, () -> deadLetterOutbox(job.id()).equals(List.of(true)));
        Map<String, String> letter = deadLetterRows(job.id()).get(0);
        assertThat(letter.get("reason")).contains("e".repeat(64));
        assertThat(letter.get("source_topic")).isEqualTo(Topics.SCAN_EVENTS);
        assertThat(letter.get("task_id")).isNull();
        List<StateTransition> jobLog = jobHistory(job.id());

        // the same record read again, as after a commit lost with the broker or a crash before it
        worker.close();
        worker = null;
        client.rewind("triplane-preprocess-worker", Topics.SCAN_EVENTS, Integer.parseInt(letter.get("source_partition")),
                Long.parseLong(letter.get("source_offset")), TIMEOUT);
        worker = worker("worker-3", Map.of());
        client.awaitConsumed("triplane-preprocess-worker", Topics.SCAN_EVENTS, TIMEOUT);
        String place = Topics.SCAN_EVENTS + "-" + letter.get("source_partition") + "@" + letter.get("source_offset");
        assertThat(Files.readString(worker.log())).contains("dead letter for " + place + " recorded before");

        assertThat(deadLetterRows(job.id())).containsExactly(letter);
        assertThat(deadLetterOutbox(job.id())).containsExactly(true);
        assertThat(jobHistory(job.id())).isEqualTo(jobLog);
        assertThat(client.readAll(Topics.DEAD_LETTER, Duration.ofSeconds(10)))
                .filteredOn(r -> scan.id().toString().equals(r.key())).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("e".repeat(64)));
    }

    /** The job's dead-letter rows, oldest first, each as column name → text (SQL NULL as {@code null}). */
    private static List<Map<String, String>> deadLetterRows(UUID jobId) {
        return stack.owner().tx().run(c -> {
            List<Map<String, String>> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT consumer, reason, task_id::text, scan_id::text, source_topic, source_partition::text,
                           source_offset::text
                      FROM dead_letters WHERE job_id = ? ORDER BY id""")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> row = new java.util.LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                        }
                        rows.add(row);
                    }
                }
            }
            return rows;
        });
    }

    /** Per outbox row of the job's dead letters, whether the relay has published it. */
    private static List<Boolean> deadLetterOutbox(UUID jobId) {
        return stack.owner().tx().run(c -> {
            List<Boolean> published = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT published_at IS NOT NULL FROM outbox WHERE topic = ? AND aggregate = ? ORDER BY seq")) {
                ps.setString(1, Topics.DEAD_LETTER);
                ps.setString(2, "job:" + jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        published.add(rs.getBoolean(1));
                    }
                }
            }
            return published;
        });
    }

    private static java.util.Optional<ScanRegistration> registration(UUID scanId) {
        return stack.owner().tx().run(c -> ScanRegistrations.find(c, scanId));
    }

    private static int registrationRows(UUID scanId) {
        return stack.owner().tx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM scan_registrations WHERE scan_id = ?")) {
                ps.setObject(1, scanId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    // ---- helpers ----

    /** The packaged worker ({@code worker.jar}, set by failsafe) as its own process, quick to lose and reclaim leases. */
    private static ServiceProcess worker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> settings = QuickLeases.of("triplane.preprocess", name);
        settings.put("triplane.preprocess.resample-threads", "1");
        settings.putAll(extra);
        Path jar = Path.of(System.getProperty("worker.jar", "target/quarkus-app/quarkus-run.jar"));
        return ServiceProcess.start(stack, dir, name, jar, 384, settings, Map.of(), Duration.ofSeconds(60));
    }

    private static List<UUID> jobsWithIdempotencyKey(String key) {
        return stack.owner().tx().run(c -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE idempotency_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return ids;
        });
    }

    private static Path ct(PhantomDataset.SubjectFiles s) {
        return phantoms.directory().resolve(s.ctFile());
    }

    private static Path transform(PhantomDataset.SubjectFiles s) {
        return phantoms.directory().resolve(s.transformFile());
    }

    /**
     * The stored volume object has exactly the grid and the voxels WindowedRotation computes here from
     * the CT as read from NIfTI: what the plane tasks compute on.
     */
    private static void assertStoredVolumeEqualsTheCore(Scan scan, Path ct, Path transform) throws Exception {
        Volume expected = new WindowedRotation(new Resampler(1)).apply(NiftiReader.read(ct), ItkTransformFile.read(transform),
                Window.STUDY);
        String key = ObjectKeys.preprocessed(scan.tenantId(), scan.id());
        Path stored = Files.createTempFile(dir, "stored", ".tpvol");
        Files.write(stored, client.get(key));
        Volume actual = VolumeObjectFormat.read(stored, key);
        assertThat(actual.type()).isEqualTo(expected.type());
        assertThat(actual.geometry()).isEqualTo(expected.geometry());
        assertThat(((VoxelBuffer.UInt8) actual.voxels()).data).isEqualTo(((VoxelBuffer.UInt8) expected.voxels()).data);
    }

    private static Job findJob(UUID id) {
        return stack.owner().tx().run(c -> Jobs.find(c, id)).orElseThrow();
    }

    private static List<Task> tasks(UUID jobId) {
        return stack.owner().tx().run(c -> Tasks.forJob(c, jobId));
    }

    private static List<Task> preprocessTasks(UUID jobId) {
        return tasks(jobId).stream().filter(t -> t.kind() == TaskKind.PREPROCESS).toList();
    }

    private static Task preprocessTask(UUID jobId, UUID scanId) {
        return preprocessTasks(jobId).stream().filter(t -> t.scanId().equals(scanId)).findFirst().orElseThrow();
    }

    private static List<StateTransition> history(UUID taskId) {
        return stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.TASK, taskId));
    }

    private static List<StateTransition> jobHistory(UUID jobId) {
        return stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.JOB, jobId));
    }

    private static List<String> states(List<StateTransition> log) {
        return log.stream().map(t -> t.fromState() + ">" + t.toState()).toList();
    }

    private static int processedCount(String eventId) {
        return stack.owner().tx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM processed_events WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static List<PlaneTask> planeTasksOnKafka(UUID jobId) {
        return client.readAll(Topics.PLANE_TASKS, Duration.ofSeconds(5)).stream()
                .map(r -> codec.decodePlaneTask(r.value())).filter(p -> p.jobId().equals(jobId)).toList();
    }

    private static Path labels(PhantomDataset.SubjectFiles s) {
        return phantoms.directory().resolve(s.segFile());
    }

    private static Task task(UUID id) {
        return stack.owner().tx().run(c -> Tasks.find(c, id)).orElseThrow();
    }

    private static List<Task> trainTasks(UUID jobId) {
        return tasks(jobId).stream().filter(t -> t.kind() == TaskKind.TRAIN).toList();
    }

    private static List<String> outboxKeys(String topic, UUID jobId) {
        return stack.owner().tx().run(c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key FROM outbox WHERE topic = ? AND aggregate = ?")) {
                ps.setString(1, topic);
                ps.setString(2, "job:" + jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            return keys;
        });
    }

    private static int modelSetsNamed(String name) {
        return stack.owner().tx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM model_sets WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static List<ConsumerRecord<String, String>> trainTaskRecords(UUID jobId) {
        return client.readAll(Topics.TRAIN_TASKS, Duration.ofSeconds(5)).stream()
                .filter(r -> codec.decode(Topics.TRAIN_TASKS, r.value(), TrainTask.class).jobId().equals(jobId)).toList();
    }

    private static List<TrainTask> trainTasksOnKafka(UUID jobId) {
        return trainTaskRecords(jobId).stream().map(r -> codec.decode(Topics.TRAIN_TASKS, r.value(), TrainTask.class)).toList();
    }
}
