package org.triplane.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.models.CrossValidation;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.models.TrainingEpochs;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.outbox.DeadLetters;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.Tenants;
import org.triplane.events.ObjectKeys;
import org.triplane.events.PlaneResult;
import org.triplane.events.Topics;
import org.triplane.events.TrainTask;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.messaging.EventCodec;
import org.triplane.messaging.OutboxRelay;
import org.triplane.messaging.RelaySettings;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.infer.NativeAllocator;
import org.triplane.testing.ServiceProcess;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;
import org.triplane.worker.messaging.TaskEvents;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * The packaged gpu-worker against real PostgreSQL, Kafka and s3proxy: a TRAIN job trains the three
 * planes' networks with every epoch in Postgres; plane tasks of a segment job produce label and
 * confidence volumes on the scan's grid with their plane-result events; a worker killed mid-task
 * loses nothing (inference is redone once, training resumes from its last checkpoint); a two-fold
 * TRAIN job trains one model set per fold, each validated on its own scans; atlas inputs without the
 * scans' atlas registrations fail the train job and the plane task naming the scan; the next plane
 * task's volume is fetched while the current task runs, without claiming that task and without
 * changing any result; a scan whose windowed volume an older version stored as gzip NIfTI under its
 * legacy key is read from there (training and inference). Scans are
 * small synthetic heads and the network the {@code tiny} preset on an 8 mm model grid, so that the
 * test is about the worker, not about accuracy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GpuWorkerIT {
    private static final EventCodec codec = new EventCodec();
    private static final ObjectMapper json = new ObjectMapper();
    private static final TaskEvents events = new TaskEvents();
    private static final String TRAINING = """
            {"preset": "tiny", "epochs": %d, "batchSize": 8, "seed": 5, "validationScans": 1,
             "gridSpacingMm": 8, "fieldOfViewMm": [256, 256, 160]}""";

    // why: the workers' logs stay behind when a test fails
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    private static TestStack stack;
    private static StackClient client;
    private static KafkaProducer<String, String> relayProducer;
    private static OutboxRelay relay;
    private static UUID tenant;
    private static final List<Scan> scans = new ArrayList<>();
    /** The scan (1..4) whose windowed volume lies where the version before volume objects stored it. */
    private static final int LEGACY_SCAN = 2;
    private static UUID trainedSet;

    @BeforeAll
    static void stackAndScans() throws Exception {
        stack = TestStack.start(dir);
        client = new StackClient(stack);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        relayProducer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        relay = new OutboxRelay(stack.owner().tx(), relayProducer, RelaySettings.DEFAULTS);
        relay.start();
        tenant = stack.owner().tx().run(c -> Tenants.create(c, "gpu-it")).id();
        PhantomGenerator generator = new PhantomGenerator(PhantomSpec.of(64, 64, 28, new double[] {3.6, 3.6, 5.0}, 11L), 2);
        WindowedRotation rotation = new WindowedRotation(new Resampler(2));
        for (int n = 1; n <= 4; n++) {
            PhantomSubject subject = generator.generate(n);
            scans.add(storeScan(n, subject, rotation.apply(subject.ct(), subject.pose(), Window.STUDY)));
        }
    }

    /**
     * What the gateway and the preprocess-worker leave behind: CT and labels uploaded, the windowed
     * volume stored (a volume object; gzip NIfTI under the legacy key for {@link #LEGACY_SCAN}).
     */
    private static Scan storeScan(int n, PhantomSubject subject, Volume windowed) throws Exception {
        Path ct = dir.resolve(n + ".nii.gz");
        Path labels = dir.resolve(n + "-seg.nii.gz");
        NiftiWriter.write(subject.ct(), ct);
        NiftiWriter.write(subject.labels(), labels);
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        client.put(ct, folder + "ct.nii.gz");
        client.put(labels, folder + "labels.nii.gz");
        Geometry g = subject.ct().geometry();
        NewScan scan = NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", sha256(ct), Files.size(ct)))
                .setGeometry(new ScanGeometry(List.of(g.nx(), g.ny(), g.nz()), boxed(g.spacing()), boxed(g.origin()),
                        boxed(g.direction())))
                .optLabels(new StoredObject(folder + "labels.nii.gz", sha256(labels), Files.size(labels)))
                .optWindow(HuWindow.BRAIN).build();
        Scan stored = stack.owner().tx().inTenant(tenant, c -> Scans.insert(c, scan));
        String key = ObjectKeys.preprocessed(tenant, stored.id());
        if (n == LEGACY_SCAN) {
            // why: a scan preprocessed by the version before volume objects, its job in flight during an upgrade
            Path win = dir.resolve(n + "-windowed.nii.gz");
            NiftiWriter.write(windowed, win);
            client.put(win, ObjectKeys.legacyNifti(key));
        } else {
            Path win = dir.resolve(n + "-windowed.tpvol");
            VolumeObjectFormat.write(windowed, win);
            client.put(win, key);
        }
        return stored;
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (relayProducer != null) {
            relayProducer.close(Duration.ofSeconds(5));
        }
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** The environment of a worker that takes plane tasks only: the CPU's full oneDNN kernels. */
    private static final Map<String, String> PLANE_WORKER_ENV = Map.of("OMP_WAIT_POLICY", "PASSIVE",
            NativeAllocator.VARIABLE, NativeAllocator.TUNABLES);

    /** A worker as deployed by default: both task kinds, so oneDNN limited to SSE4.1 for training. */
    private static ServiceProcess worker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(PLANE_WORKER_ENV);
        env.put("DNNL_MAX_CPU_ISA", "SSE41");
        return worker(name, extra, env);
    }

    private static ServiceProcess worker(String name, Map<String, String> extra, Map<String, String> env) throws Exception {
        return ServiceProcess.start(stack, dir, name, Path.of(System.getProperty("worker.jar")), 768, settings(name, extra), env,
                Duration.ofSeconds(90));
    }

    /** A default worker that is expected to start and then report itself not ready (503). */
    private static ServiceProcess unreadyWorker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(PLANE_WORKER_ENV);
        env.put("DNNL_MAX_CPU_ISA", "SSE41");
        return ServiceProcess.startAnswering(stack, dir, name, Path.of(System.getProperty("worker.jar")), 768,
                settings(name, extra), env, 503, Duration.ofSeconds(90));
    }

    private static Map<String, String> settings(String name, Map<String, String> extra) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("triplane.gpu.worker-id", name);
        settings.put("triplane.gpu.lease", "4s");
        settings.put("triplane.gpu.heartbeat", "1s");
        settings.put("triplane.gpu.sweep-interval", "1s");
        settings.put("triplane.gpu.resample-threads", "1");
        settings.put("triplane.gpu.device", "cpu");
        settings.put("triplane.gpu.work-dir", dir.resolve(name + "-work").toString());
        settings.put("ai.djl.offline", "true");
        settings.putAll(extra);
        return settings;
    }

    /** Per member of the gpu-workers' consumer group, how many partitions of {@code topic} it holds, ascending. */
    private static List<Long> partitionsPerMember(Admin admin, String topic) {
        String groupId = "triplane-gpu-worker";
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            return group.members().stream().map(m -> m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(topic)).count()).sorted().toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("describing the consumer group " + groupId, e.getCause());
        }
    }

    /** A RUNNING TRAIN job over scans 1..3 with its model set and three TRAIN tasks, their events in the outbox. */
    private static Job trainJob(String name, int epochs) {
        return trainJobWith(name, TRAINING.formatted(epochs));
    }

    /** {@link #trainJob(String, int)} with the job's parameters given. */
    private static Job trainJobWith(String name, String parameters) {
        return stack.owner().tx().inTenant(tenant, c -> {
            Job job = Jobs.submit(c, JobRequest.builder().setTenantId(tenant).setKind(JobKind.TRAIN).setRequestedBy("it")
                    .setIdempotencyKey(name).setCodeVersion("it").setScanIds(scans.subList(0, 3).stream().map(Scan::id).toList())
                    .optParametersJson(parameters).build()).job();
            job = Jobs.transition(c, job, JobState.RUNNING, "it", "scans preprocessed");
            ModelSet set = ModelSets.create(c, "it-" + name + "-" + UUID.randomUUID(), "MAJORITY_2_OF_3", "it");
            job = Jobs.assignModelSet(c, job, set.id());
            for (Plane plane : Plane.values()) {
                events.appendTrainTask(c, Tasks.create(c, NewTask.forTraining(job, plane), "it"));
            }
            return job;
        });
    }

    /** A RUNNING segment job on scan 4 with the trained set and plane tasks for {@code planes}, events in the outbox. */
    private static Job segmentJob(String name, List<Plane> planes) {
        Scan scan = scans.get(3);
        return stack.owner().tx().inTenant(tenant, c -> {
            Job job = Jobs.submit(c, JobRequest.builder().setTenantId(tenant).setKind(JobKind.SEGMENT).setRequestedBy("it")
                    .setIdempotencyKey(name).setCodeVersion("it").setScanIds(List.of(scan.id())).optModelSetId(trainedSet)
                    .build()).job();
            job = Jobs.transition(c, job, JobState.RUNNING, "it", "scan preprocessed");
            for (Plane plane : planes) {
                Task t = Tasks.create(c, NewTask.forPlane(job, scan.id(), plane), "it");
                events.appendPlaneTask(c, t, ObjectKeys.preprocessed(tenant, scan.id()), scan.geometry(), scan.window(), null);
            }
            return job;
        });
    }

    /** A RUNNING segment job over every scan with the trained set, three plane tasks per scan, events in the outbox. */
    private static Job segmentJobOverAllScans(String name) {
        return segmentJobOverAllScans(name, List.of(Plane.values()));
    }

    /** A RUNNING segment job over every scan with the trained set, a plane task per scan and plane, events in the outbox. */
    private static Job segmentJobOverAllScans(String name, List<Plane> planes) {
        return stack.owner().tx().inTenant(tenant, c -> {
            Job job = Jobs.submit(c, JobRequest.builder().setTenantId(tenant).setKind(JobKind.SEGMENT).setRequestedBy("it")
                    .setIdempotencyKey(name).setCodeVersion("it").setScanIds(scans.stream().map(Scan::id).toList())
                    .optModelSetId(trainedSet).build()).job();
            job = Jobs.transition(c, job, JobState.RUNNING, "it", "scans preprocessed");
            for (Scan scan : scans) {
                for (Plane plane : planes) {
                    Task t = Tasks.create(c, NewTask.forPlane(job, scan.id(), plane), "it");
                    events.appendPlaneTask(c, t, ObjectKeys.preprocessed(tenant, scan.id()), scan.geometry(), scan.window(), null);
                }
            }
            return job;
        });
    }

    private static Job job(UUID id) {
        return stack.owner().tx().run(c -> Jobs.find(c, id).orElseThrow());
    }

    private static List<Task> tasks(UUID jobId) {
        return stack.owner().tx().run(c -> Tasks.forJob(c, jobId));
    }

    private static void awaitJob(Job job, JobState state, Duration timeout) throws Exception {
        StackClient.await("job " + job.id() + " " + state, timeout, () -> {
            Job j = job(job.id());
            assertThat(j.state()).as("job %s failed: %s", j.id(), j.error()).isNotEqualTo(JobState.FAILED);
            return j.state() == state;
        });
    }

    private static void awaitTasks(UUID jobId, TaskKind kind, int count, Duration timeout) throws Exception {
        StackClient.await(count + " " + kind + " tasks SUCCEEDED", timeout, () -> {
            List<Task> done = tasks(jobId).stream().filter(t -> t.kind() == kind).toList();
            done.forEach(t -> assertThat(t.state()).as("task %s: %s", t.id(), t.error()).isNotEqualTo(TaskState.FAILED));
            return done.size() == count && done.stream().allMatch(t -> t.state() == TaskState.SUCCEEDED);
        });
    }

    @Test
    @Order(1)
    void aTrainJobTrainsEveryPlaneAndRecordsEachEpochAsItEnds() throws Exception {
        Job job = trainJob("train", 2);
        try (ServiceProcess worker = worker("gpu-a", Map.of())) {
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(5));
        }
        trainedSet = job(job.id()).modelSetId();
        List<Model> models = stack.owner().tx().run(c -> Models.ofSet(c, trainedSet));
        assertThat(models).extracting(Model::plane).containsExactlyInAnyOrder(Plane.values());
        for (Model m : models) {
            Path weights = dir.resolve("weights-" + m.plane());
            Files.write(weights, client.get(m.weightsKey()));
            assertThat(sha256(weights)).as("stored weights of %s", m.plane()).isEqualTo(m.weightsSha256());
            // why: one of the three scans is held out for validation, by scan, never by slice
            assertThat(m.trainingScanIds()).hasSize(2).isSubsetOf(scans.subList(0, 3).stream().map(Scan::id).toList());
            JsonNode hyper = json.readTree(m.hyperParametersJson());
            assertThat(hyper.path("validationScanIds")).hasSize(1);
            assertThat(m.trainingScanIds()).doesNotContain(UUID.fromString(hyper.path("validationScanIds").get(0).asText()));
            assertThat(hyper.path("positionChannel").asBoolean()).isTrue();
            assertThat(hyper.path("grid").path("spacingMm").asDouble()).isEqualTo(8.0);
            assertThat(m.voxelSpacingMm()).containsExactly(8.0, 8.0, 8.0);
            assertThat(json.readTree(m.validationMetricsJson()).path("bestEpoch").asInt()).isBetween(1, 2);
        }
        for (Task t : tasks(job.id())) {
            assertThat(t.device()).isEqualTo("cpu");
            List<TrainingEpoch> epochs = stack.owner().tx().run(c -> TrainingEpochs.ofTask(c, t.id()));
            assertThat(epochs).extracting(TrainingEpoch::epoch).containsExactly(1, 2);
            assertThat(epochs).allSatisfy(e -> {
                assertThat(e.trainLoss()).isBetween(0.0, 1.0);
                assertThat(e.validationIou()).hasSize(21);
                assertThat(e.seconds()).isPositive();
            });
        }
    }

    @Test
    @Order(2)
    void planeTasksStoreLabelsAndConfidenceOnTheScansGridAndAnnounceThem() throws Exception {
        Job job = segmentJob("segment", List.of(Plane.values()));
        try (ServiceProcess worker = worker("gpu-a", Map.of())) {
            awaitTasks(job.id(), TaskKind.PLANE, 3, Duration.ofMinutes(3));
        }
        Scan scan = scans.get(3);
        String windowedKey = ObjectKeys.preprocessed(tenant, scan.id());
        Path windowedFile = dir.resolve("windowed-" + UUID.randomUUID() + ".tpvol");
        Files.write(windowedFile, client.get(windowedKey));
        Volume windowed = VolumeObjectFormat.read(windowedFile, windowedKey);
        for (Plane plane : Plane.values()) {
            Plane p = plane;
            Volume labels = read(client.get(ObjectKeys.planeLabels(tenant, job.id(), scan.id(), p)), "labels-" + plane);
            Volume confidence = read(client.get(ObjectKeys.planeConfidence(tenant, job.id(), scan.id(), p)), "conf-" + plane);
            assertThat(labels.geometry().sameGrid(windowed.geometry(), 1e-4)).as("%s labels on the scan's grid", plane).isTrue();
            assertThat(confidence.geometry().sameGrid(windowed.geometry(), 1e-4)).isTrue();
            for (byte b : ((VoxelBuffer.UInt8) labels.voxels()).data) {
                assertThat(b & 0xff).isLessThanOrEqualTo(20);
            }
            // why: the largest of 21 softmax probabilities is at least 1/21, so 255/21 rounded; the
            // model grid's field of view covers the whole scan, so no voxel is left without a prediction
            for (byte b : ((VoxelBuffer.UInt8) confidence.voxels()).data) {
                assertThat(b & 0xff).isGreaterThanOrEqualTo(12);
            }
        }
        stack.awaitJobEventsPublished(job.id(), Duration.ofSeconds(60));
        List<PlaneResult> results = client.readAll(Topics.PLANE_RESULTS, Duration.ofSeconds(20)).stream()
                .map(ConsumerRecord::value).map(v -> codec.decode(Topics.PLANE_RESULTS, v, PlaneResult.class))
                .filter(r -> r.jobId().equals(job.id())).toList();
        assertThat(results).extracting(PlaneResult::plane)
                .containsExactlyInAnyOrder(Plane.values());
        List<Model> models = stack.owner().tx().run(c -> Models.ofSet(c, trainedSet));
        for (PlaneResult r : results) {
            assertThat(r.key()).isEqualTo(scan.id().toString());
            assertThat(r.modelId()).isEqualTo(models.stream().filter(m -> m.plane().name().equals(r.plane().name()))
                    .findFirst().orElseThrow().id());
        }
        for (Task t : tasks(job.id())) {
            assertThat(t.device()).isEqualTo("cpu");
            JsonNode timings = json.readTree(t.timingsJson());
            assertThat(timings.path("slices_per_s").asDouble()).isPositive();
            assertThat(timings.path("batch_size").asInt()).isEqualTo(8);
        }
    }

    @Test
    @Order(3)
    void aKilledInferenceTaskIsRedoneOnceByAnotherWorker() throws Exception {
        Job job = segmentJob("killed-inference", List.of(Plane.AXIAL));
        Task task = tasks(job.id()).get(0);
        try (ServiceProcess slow = worker("gpu-slow", Map.of("triplane.gpu.test-delay-after-claim", "60s"))) {
            StackClient.await("the slow worker holds the task", Duration.ofSeconds(60), () -> {
                Task t = stack.owner().tx().run(c -> Tasks.find(c, task.id()).orElseThrow());
                return t.state() == TaskState.RUNNING && "gpu-slow".equals(t.worker());
            });
            slow.kill();
        }
        try (ServiceProcess worker = worker("gpu-b", Map.of())) {
            awaitTasks(job.id(), TaskKind.PLANE, 1, Duration.ofMinutes(2));
        }
        Task done = stack.owner().tx().run(c -> Tasks.find(c, task.id()).orElseThrow());
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.worker()).isEqualTo("gpu-b");
        List<StateTransition> log = stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.TASK, task.id()));
        assertThat(log).filteredOn(s -> "RUNNING".equals(s.fromState()) && "PENDING".equals(s.toState())).hasSize(1);
        assertThat(log).filteredOn(s -> "SUCCEEDED".equals(s.toState())).hasSize(1);
        stack.awaitJobEventsPublished(job.id(), Duration.ofSeconds(60));
        long announced = client.readAll(Topics.PLANE_RESULTS, Duration.ofSeconds(20)).stream()
                .map(r -> codec.decode(Topics.PLANE_RESULTS, r.value(), PlaneResult.class))
                .filter(r -> r.taskId().equals(task.id())).count();
        assertThat(announced).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aKilledTrainingTaskResumesFromItsLastCheckpoint() throws Exception {
        Job job = trainJob("killed-training", 4);
        Task killed;
        try (ServiceProcess slow = worker("gpu-slow-train", Map.of("triplane.gpu.test-delay-after-epoch", "60s"))) {
            StackClient.await("epoch 1 checkpointed by the slow worker", Duration.ofMinutes(2), () -> {
                try {
                    for (Task t : tasks(job.id())) {
                        String checkpoint = ObjectKeys.trainingCheckpoints(tenant, job.id(),
                                t.plane()) + "checkpoint.properties";
                        if ("gpu-slow-train".equals(t.worker()) && t.state() == TaskState.RUNNING && client.exists(checkpoint)) {
                            return true;
                        }
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            });
            killed = tasks(job.id()).stream().filter(t -> t.state() == TaskState.RUNNING).findFirst().orElseThrow();
            slow.kill();
        }
        try (ServiceProcess worker = worker("gpu-c", Map.of())) {
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(5));
        }
        Task resumed = stack.owner().tx().run(c -> Tasks.find(c, killed.id()).orElseThrow());
        assertThat(resumed.attempt()).isEqualTo(2);
        List<TrainingEpoch> epochs = stack.owner().tx().run(c -> TrainingEpochs.ofTask(c, killed.id()));
        assertThat(epochs).extracting(TrainingEpoch::epoch).containsExactly(1, 2, 3, 4);
        assertThat(epochs.get(0).attempt()).as("epoch 1 comes from the killed run").isEqualTo(1);
        assertThat(epochs.subList(1, 4)).allSatisfy(e -> assertThat(e.attempt()).isEqualTo(2));
        assertThat(json.readTree(resumed.timingsJson()).path("resumed_after_epoch").asInt()).isEqualTo(1);
        Model model = stack.owner().tx().run(c -> Models.ofSet(c, job(job.id()).modelSetId())).stream()
                .filter(m -> m.plane() == killed.plane()).findFirst().orElseThrow();
        assertThat(json.readTree(model.validationMetricsJson()).path("resumedAfterEpoch").asInt()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void twoWorkersShareThePlaneTasksAndLosingOneMidBatchDoesNotStopTheJob() throws Exception {
        Job job = segmentJobOverAllScans("shared");
        int tasks = scans.size() * Plane.values().length;
        // why: a short pause per task keeps both workers busy long enough to share the batch and to
        // lose one of them in the middle of it
        Map<String, String> slowish = Map.of("triplane.gpu.test-delay-after-claim", "3s");
        Map<String, String> planeTasksOnly = Map.of("triplane.gpu.test-delay-after-claim", "3s", "triplane.gpu.tasks", "plane");
        // b takes plane tasks only, so it runs without the SSE4.1 limit that training needs
        try (ServiceProcess a = worker("gpu-share-a", slowish);
             ServiceProcess b = worker("gpu-share-b", planeTasksOnly, PLANE_WORKER_ENV)) {
            StackClient.await("both workers finished a plane task", Duration.ofMinutes(3), () -> {
                List<String> done = tasks(job.id()).stream().filter(t -> t.state() == TaskState.SUCCEEDED).map(Task::worker).toList();
                return done.contains("gpu-share-a") && done.contains("gpu-share-b");
            });
            // of the two members of the group, the plane-only one holds plane-task partitions and no
            // train-task partition; the other holds all three train-task partitions
            try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafkaBootstrap()))) {
                StackClient.await("the group's assignment names the plane-only worker", Duration.ofSeconds(60),
                        () -> partitionsPerMember(admin, Topics.TRAIN_TASKS).equals(List.of(0L, 3L))
                                && partitionsPerMember(admin, Topics.PLANE_TASKS).stream().allMatch(n -> n > 0));
            }
            assertThat(tasks(job.id()).stream().filter(t -> t.state() == TaskState.SUCCEEDED).count())
                    .as("the batch is still running when one worker is lost").isLessThan(tasks);
            b.kill();
            awaitTasks(job.id(), TaskKind.PLANE, tasks, Duration.ofMinutes(4));
        }
        List<Task> done = tasks(job.id());
        assertThat(done).extracting(Task::worker).contains("gpu-share-a", "gpu-share-b");
        stack.awaitJobEventsPublished(job.id(), Duration.ofSeconds(60));
        List<PlaneResult> announced = client.readAll(Topics.PLANE_RESULTS, Duration.ofSeconds(20)).stream()
                .map(r -> codec.decode(Topics.PLANE_RESULTS, r.value(), PlaneResult.class))
                .filter(r -> r.jobId().equals(job.id())).toList();
        assertThat(announced).hasSize(tasks);
        assertThat(announced.stream().map(PlaneResult::taskId).distinct().count()).isEqualTo(tasks);
    }

    @Test
    @Order(6)
    void aTwoFoldTrainJobTrainsOneModelSetPerFoldEachValidatedOnItsOwnScans() throws Exception {
        List<UUID> jobScans = scans.subList(0, 3).stream().map(Scan::id).toList();
        Job job = foldTrainJob("two-fold", 2);
        try (ServiceProcess worker = worker("gpu-folds", Map.of())) {
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(5));
        }

        assertThat(job(job.id()).modelSetId()).as("a k-fold job names no single set").isNull();
        List<Task> train = tasks(job.id());
        assertThat(train).hasSize(6).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED));
        assertThat(train).extracting(Task::fold).containsExactlyInAnyOrder(1, 1, 1, 2, 2, 2);
        List<ModelSet> sets = stack.owner().tx().run(c -> ModelSets.ofTrainingJob(c, job.id()));
        assertThat(sets).extracting(ModelSet::fold).containsExactly(1, 2);
        assertThat(sets).allSatisfy(set -> assertThat(set.foldCount()).isEqualTo(2));

        List<UUID> validatedOverFolds = new ArrayList<>();
        double[] sumByPlane = new double[3];
        int[] nByPlane = new int[3];
        for (ModelSet set : sets) {
            List<Model> models = stack.owner().tx().run(c -> Models.ofSet(c, set.id()));
            assertThat(models).extracting(Model::plane).containsExactlyInAnyOrder(Plane.values());
            List<UUID> validation = null;
            for (Model m : models) {
                JsonNode hyper = json.readTree(m.hyperParametersJson());
                assertThat(hyper.path("fold").asInt()).isEqualTo(set.fold());
                assertThat(hyper.path("folds").asInt()).isEqualTo(2);
                List<UUID> v = new ArrayList<>();
                hyper.path("validationScanIds").forEach(n -> v.add(UUID.fromString(n.asText())));
                assertThat(v).as("fold %d %s validates on scans of its own", set.fold(), m.plane()).isNotEmpty()
                        .doesNotContainAnyElementsOf(m.trainingScanIds());
                List<UUID> all = new ArrayList<>(m.trainingScanIds());
                all.addAll(v);
                assertThat(all).containsExactlyInAnyOrderElementsOf(jobScans);
                if (validation == null) {
                    validation = v;
                } else {
                    assertThat(v).as("the three planes of fold %d share its split", set.fold()).isEqualTo(validation);
                }
                Plane plane = m.plane();
                assertThat(m.weightsKey()).isEqualTo(ObjectKeys.modelWeights(set.id(), plane));
                JsonNode iou = json.readTree(m.validationMetricsJson()).path("meanIoU");
                if (iou.isNumber()) {
                    sumByPlane[m.plane().ordinal()] += iou.asDouble();
                    nByPlane[m.plane().ordinal()]++;
                }
                String checkpoint = ObjectKeys.trainingCheckpoints(tenant, job.id(), plane, set.fold())
                        + "checkpoint.properties";
                assertThat(client.exists(checkpoint)).as("fold checkpoint %s", checkpoint).isTrue();
            }
            validatedOverFolds.addAll(validation);
        }
        // why: k-fold by scan: the folds' validation scans partition the job's scans
        assertThat(validatedOverFolds).containsExactlyInAnyOrderElementsOf(jobScans);

        CrossValidation cv = stack.owner().tx().run(c -> CrossValidation.of(ModelSets.ofTrainingJob(c, job.id()),
                ModelSets.foldModelsOf(c, job.id()))).orElseThrow();
        assertThat(cv.foldCount()).isEqualTo(2);
        for (CrossValidation.PlaneFolds p : cv.planes()) {
            int i = p.plane().ordinal();
            if (nByPlane[i] == 0) {
                assertThat(p.mean()).isNull();
            } else {
                assertThat(p.mean()).as("%s mean over folds", p.plane()).isCloseTo(sumByPlane[i] / nByPlane[i], within(1e-12));
            }
            assertThat(p.folds()).extracting(CrossValidation.Fold::modelSetId)
                    .containsExactly(sets.get(0).id(), sets.get(1).id());
        }
    }

    @Test
    @Order(7)
    void atlasInputsWithoutTheScansAtlasRegistrationFailTheJobNamingTheScan() throws Exception {
        // why: these scans were stored without the preprocess-worker, so none has a scan_registrations row
        Job train = trainJobWith("atlas-unregistered", """
                {"preset": "tiny", "epochs": 1, "seed": 5, "validationScans": 1, "inputs": "atlas", "gridSpacingMm": 8}""");
        List<Model> copies = new ArrayList<>();
        for (Model m : stack.owner().tx().run(c -> Models.ofSet(c, trainedSet))) {
            // why: a model recorded with a grid in atlas space; the check comes before its weights are read
            com.fasterxml.jackson.databind.node.ObjectNode hyper =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(m.hyperParametersJson());
            hyper.set("grid", json.valueToTree(ModelGrid.aspectsInAtlas(8).toMap()));
            copies.add(new Model(null, null, m.plane(), m.architecture(), json.writeValueAsString(hyper), m.seed(),
                    m.trainingScanIds(), m.trainingScanSha256(), m.voxelSpacingMm(), m.sliceSize(), m.codeVersion(),
                    m.trainingDurationSeconds(), m.validationMetricsJson(), m.weightsKey(), m.weightsSha256(), null));
        }
        UUID atlasSet = stack.owner().tx().inTenant(tenant, c -> {
            ModelSet set = ModelSets.create(c, "it-atlas-grid-" + UUID.randomUUID(), "MAJORITY_2_OF_3", "it");
            for (Model m : copies) {
                Models.insert(c, new Model(null, set.id(), m.plane(), m.architecture(), m.hyperParametersJson(), m.seed(),
                        m.trainingScanIds(), m.trainingScanSha256(), m.voxelSpacingMm(), m.sliceSize(), m.codeVersion(),
                        m.trainingDurationSeconds(), m.validationMetricsJson(), m.weightsKey(), m.weightsSha256(), null));
            }
            return set.id();
        });
        UUID saved = trainedSet;
        Job segment;
        try {
            trainedSet = atlasSet;
            segment = segmentJob("atlas-grid-without-map", List.of(Plane.AXIAL));
        } finally {
            trainedSet = saved;
        }
        try (ServiceProcess worker = worker("gpu-atlas", Map.of())) {
            for (Job j : List.of(train, segment)) {
                StackClient.await("job " + j.id() + " FAILED", Duration.ofMinutes(2), () -> job(j.id()).state() == JobState.FAILED);
            }
        }
        List<String> trainScans = scans.subList(0, 3).stream().map(sc -> sc.id().toString()).toList();
        String trainError = job(train.id()).error();
        assertThat(trainError).contains("TRAIN job " + train.id(), "has no atlas registration", "inputs \"atlas\"")
                .containsAnyOf(trainScans.stream().map(id -> "scan " + id).toArray(String[]::new));
        assertThat(tasks(train.id())).allSatisfy(t -> assertThat(t.state()).isNotEqualTo(TaskState.SUCCEEDED));
        UUID unfilled = job(train.id()).modelSetId();
        List<Model> registered = stack.owner().tx().run(c -> Models.ofSet(c, unfilled));
        assertThat(registered).isEmpty();

        Task planeTask = tasks(segment.id()).get(0);
        assertThat(planeTask.state()).isEqualTo(TaskState.FAILED);
        assertThat(planeTask.attempt()).as("poison, not retried").isEqualTo(1);
        assertThat(job(segment.id()).error()).contains("scan " + scans.get(3).id(), "the model set " + atlasSet
                + " needs the scan's atlas registration; re-run preprocessing");
        List<DeadLetter> letters = stack.owner().tx().run(c -> DeadLetters.ofJob(c, segment.id()));
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.taskId()).isEqualTo(planeTask.id());
            assertThat(d.reason()).isEqualTo(planeTask.error());
            assertThat(d.consumer()).isEqualTo("gpu-worker");
            assertThat(d.sourceTopic()).isNull();
        });
        assertThat(client.exists(ObjectKeys.planeLabels(tenant, segment.id(), scans.get(3).id(), Plane.AXIAL)))
                .isFalse();
    }

    @Test
    @Order(9)
    void theNextTasksVolumeIsFetchedWhileTheCurrentOneComputesWithoutClaimingItAndChangesNoResult() throws Exception {
        Map<String, String> planeOnly = Map.of("triplane.gpu.tasks", "plane", "triplane.gpu.test-delay-after-claim", "2s");
        String fetchedAhead = "fetched ahead";

        // a worker killed while it holds a task and has fetched the next one's volume: the next task was never
        // claimed, so another worker runs it as a first attempt, and the killed task is redone
        Job killedJob = segmentJobOverAllScans("prefetch-killed", List.of(Plane.AXIAL));
        awaitPublished(killedJob, scans.size());
        try (ServiceProcess slow = worker("gpu-prefetch-slow", Map.of("triplane.gpu.tasks", "plane",
                "triplane.gpu.test-delay-after-claim", "60s"), PLANE_WORKER_ENV)) {
            StackClient.await("the slow worker holds a task and has fetched the next one's volume", Duration.ofSeconds(60),
                    () -> slow.logged(fetchedAhead) && tasks(killedJob.id()).stream().anyMatch(t -> t.state() == TaskState.RUNNING));
            assertThat(tasks(killedJob.id())).filteredOn(t -> t.state() == TaskState.PENDING)
                    .as("prefetching claims nothing").hasSize(scans.size() - 1);
            slow.kill();
        }
        try (ServiceProcess worker = worker("gpu-prefetch-after", planeOnly, PLANE_WORKER_ENV)) {
            awaitTasks(killedJob.id(), TaskKind.PLANE, scans.size(), Duration.ofMinutes(3));
        }
        assertThat(tasks(killedJob.id())).extracting(Task::attempt).containsExactlyInAnyOrder(2, 1, 1, 1);
        for (Task t : tasks(killedJob.id())) {
            List<StateTransition> log = stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.TASK, t.id()));
            if (t.attempt() == 1) {
                assertThat(log).extracting(StateTransition::actor).doesNotContain("gpu-prefetch-slow");
            }
        }

        // one worker, four tasks queued before it starts: each task after the first finds its volume fetched
        // while the task before it ran
        Job ahead = segmentJobOverAllScans("prefetch", List.of(Plane.AXIAL));
        awaitPublished(ahead, scans.size());
        try (ServiceProcess worker = worker("gpu-prefetch", planeOnly, PLANE_WORKER_ENV)) {
            awaitTasks(ahead.id(), TaskKind.PLANE, scans.size(), Duration.ofMinutes(3));
            assertThat(worker.loggedLines(fetchedAhead)).isGreaterThanOrEqualTo(scans.size() - 1);
        }
        List<Task> ran = tasks(ahead.id()).stream().sorted(java.util.Comparator.comparing(Task::startedAt)).toList();
        assertThat(json.readTree(ran.get(0).timingsJson()).path("prefetched").asBoolean())
                .as("the first task's record came with nothing before it").isFalse();
        for (int i = 1; i < ran.size(); i++) {
            JsonNode timings = json.readTree(ran.get(i).timingsJson());
            assertThat(timings.path("prefetched").asBoolean()).as("task %d of %d prefetched", i + 1, ran.size()).isTrue();
            Instant ready = Instant.parse(timings.path("prefetched_at").asText());
            assertThat(ready).as("task %d's volume ready before task %d finished", i + 1, i).isBefore(ran.get(i - 1).finishedAt());
            assertThat(timings.path("download_s").asDouble()).as("no download left in the task")
                    .isLessThan(timings.path("prefetch_s").asDouble() + 0.5);
        }

        // the same tasks without prefetching: the same labels and confidences, voxel for voxel
        Job without = segmentJobOverAllScans("no-prefetch", List.of(Plane.AXIAL));
        Map<String, String> noPrefetch = new java.util.HashMap<>(planeOnly);
        noPrefetch.put("triplane.gpu.prefetch", "false");
        try (ServiceProcess worker = worker("gpu-no-prefetch", noPrefetch, PLANE_WORKER_ENV)) {
            awaitTasks(without.id(), TaskKind.PLANE, scans.size(), Duration.ofMinutes(3));
            assertThat(worker.logged(fetchedAhead)).isFalse();
        }
        assertThat(tasks(without.id())).allSatisfy(t ->
                assertThat(json.readTree(t.timingsJson()).path("prefetched").asBoolean()).isFalse());
        Plane axial = Plane.AXIAL;
        for (Scan scan : scans) {
            for (boolean labels : new boolean[] {true, false}) {
                String with = labels ? ObjectKeys.planeLabels(tenant, ahead.id(), scan.id(), axial)
                        : ObjectKeys.planeConfidence(tenant, ahead.id(), scan.id(), axial);
                String plain = labels ? ObjectKeys.planeLabels(tenant, without.id(), scan.id(), axial)
                        : ObjectKeys.planeConfidence(tenant, without.id(), scan.id(), axial);
                Volume a = read(client.get(with), "prefetched");
                Volume b = read(client.get(plain), "plain");
                assertThat(((VoxelBuffer.UInt8) a.voxels()).data).as(with).isEqualTo(((VoxelBuffer.UInt8) b.voxels()).data);
                assertThat(a.geometry().sameGrid(b.geometry(), 0)).isTrue();
            }
        }
    }

    /** Waits until the plane-task events of every task of {@code job} are in Kafka (the outbox relay has published them). */
    private static void awaitPublished(Job job, int count) throws Exception {
        List<String> ids = tasks(job.id()).stream().map(t -> t.id().toString()).toList();
        StackClient.await(count + " plane-task events of job " + job.id() + " published", Duration.ofSeconds(60), () ->
                client.readAll(Topics.PLANE_TASKS, Duration.ofSeconds(10)).stream()
                        .filter(r -> ids.stream().anyMatch(r.value()::contains)).count() == count);
    }

    /**
     * A RUNNING TRAIN job over scans 1..3 with {@code folds} = k as the preprocess-worker starts one:
     * k model sets, 3k TRAIN tasks (plane × fold) and their events (with the fold) in the outbox.
     */
    private static Job foldTrainJob(String name, int k) {
        String parameters = """
                {"preset": "tiny", "epochs": 1, "batchSize": 8, "seed": 5, "folds": %d,
                 "gridSpacingMm": 8, "fieldOfViewMm": [256, 256, 160]}""".formatted(k);
        return stack.owner().tx().inTenant(tenant, c -> {
            Job job = Jobs.submit(c, JobRequest.builder().setTenantId(tenant).setKind(JobKind.TRAIN).setRequestedBy("it")
                    .setIdempotencyKey(name).setCodeVersion("it").setScanIds(scans.subList(0, 3).stream().map(Scan::id).toList())
                    .optParametersJson(parameters).build()).job();
            job = Jobs.transition(c, job, JobState.RUNNING, "it", "scans preprocessed");
            for (int fold = 1; fold <= k; fold++) {
                ModelSets.create(c, "it-" + name + "-" + UUID.randomUUID() + "-fold" + fold + "of" + k,
                        "MAJORITY_2_OF_3", "it", job.id(), fold, k);
                for (Plane plane : Plane.values()) {
                    Task t = Tasks.create(c, NewTask.forTrainingFold(job, plane, fold), "it");
                    TrainTask e = new TrainTask(TrainTask.VERSION, UUID.randomUUID(), tenant, job.id(), t.id(),
                            plane, Instant.now(), fold);
                    Outbox.append(c, new OutboxMessage("job:" + job.id(), Topics.TRAIN_TASKS, e.key(), codec.encode(e)));
                }
            }
            return job;
        });
    }

    private static Volume read(byte[] bytes, String name) throws Exception {
        Path f = dir.resolve(name + "-" + UUID.randomUUID() + ".nii.gz");
        Files.write(f, bytes);
        return NiftiReader.read(f);
    }

    private static List<Double> boxed(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    /** The readiness check named {@code name} in a {@code /q/health/ready} answer. */
    private static JsonNode check(JsonNode health, String name) {
        return java.util.stream.StreamSupport.stream(health.path("checks").spliterator(), false)
                .filter(c -> c.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no readiness check " + name + " in " + health));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    @Order(8)
    void aWorkerConfiguredForCudaWithoutAGpuIsNotReadyAndTakesNoTask() throws Exception {
        String notReady = "gpu-worker: not ready, taking no tasks: ";
        try (ServiceProcess cuda = unreadyWorker("gpu-cuda", Map.of("triplane.gpu.device", "cuda"))) {
            JsonNode health = json.readTree(cuda.get("/q/health/ready").body());
            // why by name: the worker has other readiness checks (the kit's, its outbox relay), in no set order
            JsonNode data = check(health, "device").path("data");
            JsonNode worker = check(health, "worker");
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            // why: down for the device alone; everything else it needs answers
            assertThat(worker.path("status").asText()).isEqualTo("UP");
            assertThat(worker.path("data").path("postgres").asBoolean()).isTrue();
            assertThat(worker.path("data").path("objectStore").asBoolean()).isTrue();
            assertThat(check(health, "device").path("status").asText()).isEqualTo("DOWN");
            assertThat(data.path("deviceReady").asBoolean()).isFalse();
            assertThat(data.path("device").asText()).isEqualTo("cuda");
            assertThat(data.path("libtorchBuild").asText()).isEqualTo("cpu");
            assertThat(data.path("precision").asText()).as("the setting: no device, no precision decided").isEqualTo("auto");
            assertThat(data.path("batchSize").asInt()).isEqualTo(8);
            String problem = data.path("deviceProblem").asText();
            assertThat(problem).startsWith("triplane.gpu.device is cuda but libtorch ").contains(" here is the CPU build");
            assertThat(cuda.loggedLines(notReady + problem)).as("one line in the log says why").isEqualTo(1);
            assertThat(cuda.logged("taking tasks from")).as("its consumer never started").isFalse();

            // a plane task while the CUDA worker runs: only a worker that can run it takes it
            Job job = segmentJob("cuda-without-gpu", List.of(Plane.AXIAL));
            Task task = tasks(job.id()).get(0);
            try (ServiceProcess cpu = worker("gpu-cpu", Map.of());
                 Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                         stack.kafkaBootstrap()))) {
                awaitTasks(job.id(), TaskKind.PLANE, 1, Duration.ofMinutes(2));
                assertThat(partitionsPerMember(admin, Topics.PLANE_TASKS)).as("the group's members: the CPU worker alone")
                        .hasSize(1);
            }
            Task done = stack.owner().tx().run(c -> Tasks.find(c, task.id()).orElseThrow());
            assertThat(done.worker()).isEqualTo("gpu-cpu");
            assertThat(done.attempt()).isEqualTo(1);
            List<StateTransition> log = stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.TASK, task.id()));
            assertThat(log).extracting(StateTransition::actor).contains("gpu-cpu").doesNotContain("gpu-cuda");
            JsonNode timings = json.readTree(done.timingsJson());
            assertThat(timings.path("device").asText()).isEqualTo("cpu");
            assertThat(timings.path("precision").asText()).isEqualTo("float32");
            assertThat(timings.path("batch_size").asInt()).isEqualTo(8);
            assertThat(timings.has("cuda")).as("no CUDA version for a CPU run").isFalse();

            assertThat(cuda.alive()).isTrue();
            assertThat(cuda.get("/q/health/ready").statusCode()).isEqualTo(503);
            assertThat(cuda.loggedLines(notReady)).isEqualTo(1);
        }
    }
}
