package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.StackProperties;
import org.triplane.events.ObjectKeys;
import org.triplane.events.PlaneTask;
import org.triplane.events.Topics;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.geometry.PolarDecomposition;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.messaging.EventCodec;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * The whole pipeline up to the plane tasks, as one command starts it: the local stack with the
 * packaged api-gateway and a preprocess-worker on free ports in a temporary directory. A tenant is
 * created through the admin endpoint, three phantom scans are uploaded over REST and a segment job
 * submitted; the worker's stored volumes must equal what the imaging core computes here, the
 * plane tasks must reach Kafka, and the job's log must show every state change. {@link #stopStack()}
 * leaves no process behind.
 */
class PipelineEndToEndIT {
    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> PLANES = List.of("axial", "coronal", "sagittal");

    @TempDir
    static Path dir;

    private static TestStack stack;
    private static StackClient client;
    private static final EventCodec codec = new EventCodec();

    @BeforeAll
    static void startStack() throws Exception {
        // why only these two: a gpu-worker would take the plane tasks this test checks (and fail a job without models)
        stack = TestStack.startWithServices(dir, List.of("api-gateway", "preprocess-worker"));
        for (String service : List.of("gateway", "preprocess-worker")) {
            ComponentStatus s = stack.status().component(service).orElseThrow();
            assertThat(s.state()).as("%s (services home %s)", service, stack.config().servicesHome().orElse(null))
                    .isEqualTo(ComponentStatus.State.RUNNING);
        }
        client = new StackClient(stack);
    }

    @AfterAll
    static void stopStack() {
        if (client != null) {
            client.close();
        }
        TestStack.stopLeavingNothing(stack);
    }

    @Test
    void uploadedScansAreWindowedStoredAndSplitIntoPlaneTasks() throws Exception {
        PhantomDataset.Result phantoms = PhantomDataset.write(
                PhantomSpec.of(48, 48, 24, new double[] {4.8, 4.8, 5.7}, 11), dir.resolve("phantoms"), 3, null);
        GatewayClient gateway = new GatewayClient(stack.properties().getProperty(StackProperties.GATEWAY_URL));
        GatewayClient.Tenant tenant = gateway.createTenant(stack.properties().getProperty(StackProperties.GATEWAY_ADMIN_TOKEN),
                "e2e-" + UUID.randomUUID());

        Map<UUID, PhantomDataset.SubjectFiles> scans = new LinkedHashMap<>();
        UUID bare = null;
        for (PhantomDataset.SubjectFiles s : phantoms.subjects()) {
            // the last scan goes without its N.txt: the worker derives the rotation from the atlas registration
            boolean withTransform = scans.size() < phantoms.subjects().size() - 1;
            JsonNode scan = gateway.uploadScan(tenant.apiKey(), ct(phantoms, s), withTransform ? transform(phantoms, s) : null);
            scans.put(UUID.fromString(scan.get("id").asText()), s);
            if (!withTransform) {
                bare = UUID.fromString(scan.get("id").asText());
                assertThat(scan.get("transform").isNull()).as("scan %s", scan).isTrue();
            }
        }
        // why a set without weights: no gpu-worker runs here, the job stops at the plane tasks
        JsonNode submitted = gateway.submitJob(tenant.apiKey(), "e2e-" + UUID.randomUUID(), new GatewayClient.JobRequest(
                "segment", List.copyOf(scans.keySet()), Map.of(), stack.modelSetWithoutWeights())).job();
        UUID jobId = UUID.fromString(submitted.get("id").asText());

        JsonNode job = awaitPreprocessed(gateway, tenant.apiKey(), jobId);

        for (Map.Entry<UUID, PhantomDataset.SubjectFiles> e : scans.entrySet()) {
            if (!e.getKey().equals(bare)) {
                assertStoredVolumeIsTheCoresResult(ObjectKeys.preprocessed(tenant.id(), e.getKey()),
                        ct(phantoms, e.getValue()), transform(phantoms, e.getValue()));
                assertThat(gateway.scan(tenant.apiKey(), e.getKey()).get("transformOrigin").asText()).isEqualTo("uploaded");
            }
        }
        assertDerivedTransform(gateway, tenant, jobId, bare, ct(phantoms, scans.get(bare)), transform(phantoms, scans.get(bare)));
        assertPlaneTasksOnKafka(jobId, tenant.id(), scans.keySet().stream().toList());
        assertTransitionLog(job, scans.size());
    }

    @Test
    void aUniformVolumeUploadedWithoutATransformFailsItsJobNamingTheScanAndTheQuality() throws Exception {
        GatewayClient gateway = new GatewayClient(stack.properties().getProperty(StackProperties.GATEWAY_URL));
        GatewayClient.Tenant tenant = gateway.createTenant(stack.properties().getProperty(StackProperties.GATEWAY_ADMIN_TOKEN),
                "e2e-uniform-" + UUID.randomUUID());
        Volume uniform = Volume.allocate(new Geometry(48, 48, 24, new double[] {4.8, 4.8, 5.7}, new double[] {-115, -115, -68},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}), DataType.INT16);
        for (int i = 0; i < uniform.voxels().length(); i++) {
            uniform.voxels().set(i, 40);
        }
        Path file = dir.resolve("uniform.nii.gz");
        NiftiWriter.write(uniform, file);
        UUID scan = UUID.fromString(gateway.uploadScan(tenant.apiKey(), file, null).get("id").asText());
        UUID jobId = UUID.fromString(gateway.submitJob(tenant.apiKey(), "e2e-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("segment", List.of(scan), Map.of(), stack.modelSetWithoutWeights())).job()
                .get("id").asText());

        JsonNode job = JobWaits.awaitState(stack, jobId, "FAILED", PIPELINE_TIMEOUT, () -> gateway.job(tenant.apiKey(), jobId),
                j -> j.get("state").asText(), JsonNode::toString);
        assertThat(job.get("error").asText()).contains("scan " + scan).contains("quality (NCC)").contains("refused");
        assertThat(job.get("scans").get(0).get("state").asText()).isEqualTo("FAILED");
        assertThat(tasks(job, "PLANE")).isEmpty();
        JsonNode after = gateway.scan(tenant.apiKey(), scan);
        assertThat(after.get("transform").isNull()).as("scan %s", after).isTrue();
        assertThat(after.get("registration").isNull()).as("scan %s", after).isTrue();
        assertThat(client.exists(ObjectKeys.derivedTransform(tenant.id(), scan))).isFalse();
        assertThat(client.exists(ObjectKeys.preprocessed(tenant.id(), scan))).isFalse();
    }

    /**
     * The scan uploaded without a transform: the gateway names its derived transform and the
     * registration; the transform file downloaded through the gateway, applied here with the
     * project's resampler, reproduces the worker's stored volume exactly; its rotation is the
     * phantom's true pose within 1.5°; the audit names origin, method and quality.
     */
    private static void assertDerivedTransform(GatewayClient gateway, GatewayClient.Tenant tenant, UUID jobId, UUID scanId,
                                               Path ct, Path truePose) throws Exception {
        JsonNode scan = gateway.scan(tenant.apiKey(), scanId);
        assertThat(scan.get("transformOrigin").asText()).as("scan %s", scan).isEqualTo("derived");
        assertThat(scan.get("transform").get("key").asText()).isEqualTo(ObjectKeys.derivedTransform(tenant.id(), scanId));
        assertThat(scan.get("registration").get("method").asText()).isEqualTo("atlas-affine-ncc");
        assertThat(scan.get("registration").get("quality").asDouble()).isBetween(0.85, 1.0);
        assertThat(scan.get("rotation").get("eulerDeg")).hasSize(3);

        Path downloaded = gateway.download(tenant.apiKey(), "/api/v1/scans/" + scanId + "/objects/transform",
                dir.resolve("derived-" + scanId + ".txt")).file();
        assertStoredVolumeIsTheCoresResult(ObjectKeys.preprocessed(tenant.id(), scanId), ct, downloaded);
        AffineTransform derived = ItkTransformFile.read(downloaded);
        double errorDeg = Math.toDegrees(PolarDecomposition.angleBetween(ItkTransformFile.read(truePose).matrix(),
                derived.matrix()));
        assertThat(errorDeg).as("derived rotation against the phantom's pose").isLessThan(1.5);

        JsonNode audit = gateway.audit(tenant.apiKey(), jobId);
        JsonNode audited = StreamSupport.stream(audit.get("scans").spliterator(), false)
                .filter(s -> s.get("scan").get("id").asText().equals(scanId.toString())).findFirst().orElseThrow();
        assertThat(audited.get("scan").get("transformOrigin").asText()).isEqualTo("derived");
        assertThat(audited.get("scan").get("registration").get("quality").asDouble())
                .isEqualTo(scan.get("registration").get("quality").asDouble());
    }

    /** Polls the job until its 3 preprocess tasks succeeded; fails early when one fails. */
    private static JsonNode awaitPreprocessed(GatewayClient gateway, String apiKey, UUID jobId) {
        return await("3 preprocess tasks of job " + jobId + " SUCCEEDED (logs: " + stack.config().dataDir().resolve("logs") + ")")
                .atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode job = gateway.job(apiKey, jobId);
                    assertThat(tasks(job, "PREPROCESS")).as("preprocess tasks of %s", job)
                            .noneMatch(t -> t.get("state").asText().equals("FAILED"));
                    return job;
                }, job -> tasks(job, "PREPROCESS").size() == 3
                        && tasks(job, "PREPROCESS").stream().allMatch(t -> t.get("state").asText().equals("SUCCEEDED"))
                        && tasks(job, "PLANE").size() == 9);
    }

    private static void assertStoredVolumeIsTheCoresResult(String key, Path ct, Path transform) throws Exception {
        Volume expected = new WindowedRotation(new Resampler(1)).apply(NiftiReader.read(ct), ItkTransformFile.read(transform),
                Window.STUDY);
        Path stored = Files.createTempFile(dir, "stored", ".tpvol");
        Files.write(stored, client.get(key));
        Volume actual = VolumeObjectFormat.read(stored, key);
        assertThat(actual.type()).as(key).isEqualTo(expected.type());
        assertThat(actual.geometry()).as(key).isEqualTo(expected.geometry());
        assertThat(((VoxelBuffer.UInt8) actual.voxels()).data).as(key)
                .isEqualTo(((VoxelBuffer.UInt8) expected.voxels()).data);
    }

    private static void assertPlaneTasksOnKafka(UUID jobId, UUID tenantId, List<UUID> scanIds) throws InterruptedException {
        StackClient.await("9 plane tasks of the job on Kafka", Duration.ofSeconds(30), () -> planeTasksOnKafka(jobId).size() >= 9);
        List<Map.Entry<String, PlaneTask>> records = planeTasksOnKafka(jobId);
        List<String> expectedKeys = new ArrayList<>();
        scanIds.forEach(s -> PLANES.forEach(p -> expectedKeys.add(s + ":" + p)));
        assertThat(records).hasSize(9);
        assertThat(records.stream().map(Map.Entry::getKey)).containsExactlyInAnyOrderElementsOf(expectedKeys);
        assertThat(records).allSatisfy(r -> {
            PlaneTask p = r.getValue();
            assertThat(r.getKey()).isEqualTo(p.key());
            assertThat(p.volumeKey()).isEqualTo(ObjectKeys.preprocessed(tenantId, p.scanId()));
            assertThat(p.dims()).containsExactly(48, 48, 24);
            assertThat(p.rotatedToAtlas()).as("atlas map of %s", p.key()).hasSize(12);
        });
    }

    /** The job, each of its scans and each task went through their states, in order. */
    private static void assertTransitionLog(JsonNode job, int scanCount) {
        assertThat(job.get("state").asText()).isEqualTo("RUNNING");
        Map<String, List<String>> byEntity = new LinkedHashMap<>();
        for (JsonNode t : job.get("transitions")) {
            byEntity.computeIfAbsent(t.get("entity").asText() + " " + t.get("entityId").asText(), k -> new ArrayList<>())
                    .add(t.get("from").asText("null") + ">" + t.get("to").asText());
        }
        String jobKey = "JOB " + job.get("id").asText();
        assertThat(byEntity.get(jobKey)).as("job log %s", byEntity).containsExactly("null>SUBMITTED", "SUBMITTED>RUNNING");
        assertThat(byEntity.keySet().stream().filter(k -> k.startsWith("JOB_SCAN "))).hasSize(scanCount);
        byEntity.forEach((entity, log) -> {
            if (entity.startsWith("JOB_SCAN ")) {
                assertThat(log).as(entity).startsWith("null>PENDING", "PENDING>RUNNING");
            }
        });
        for (JsonNode t : tasks(job, "PREPROCESS")) {
            assertThat(byEntity.get("TASK " + t.get("id").asText())).as("preprocess task %s", t)
                    .containsExactly("null>PENDING", "PENDING>RUNNING", "RUNNING>SUCCEEDED");
        }
        List<JsonNode> planes = tasks(job, "PLANE");
        assertThat(planes).hasSize(9);
        for (JsonNode t : planes) {
            assertThat(byEntity.get("TASK " + t.get("id").asText())).as("plane task %s", t).startsWith("null>PENDING");
        }
    }

    private static List<JsonNode> tasks(JsonNode job, String kind) {
        return StreamSupport.stream(job.get("tasks").spliterator(), false)
                .filter(t -> t.get("kind").asText().equals(kind)).toList();
    }

    /** {@link Topics#PLANE_TASKS} from the beginning, outside any consumer group, as the gpu-workers see it: (key, event) of the job. */
    private static List<Map.Entry<String, PlaneTask>> planeTasksOnKafka(UUID jobId) {
        return client.readAll(Topics.PLANE_TASKS, Duration.ofSeconds(10)).stream()
                .map(r -> Map.entry(r.key(), codec.decodePlaneTask(r.value())))
                .filter(e -> e.getValue().jobId().equals(jobId)).toList();
    }

    private static Path ct(PhantomDataset.Result r, PhantomDataset.SubjectFiles s) {
        return r.directory().resolve(s.ctFile());
    }

    private static Path transform(PhantomDataset.Result r, PhantomDataset.SubjectFiles s) {
        return r.directory().resolve(s.transformFile());
    }

}
