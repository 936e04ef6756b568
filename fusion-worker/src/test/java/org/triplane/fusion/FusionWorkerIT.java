package org.triplane.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
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
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.outbox.DeadLetters;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.results.Results;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanTransform;
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
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.messaging.EventCodec;
import org.triplane.testing.ServiceProcess;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * The packaged fusion-worker against real PostgreSQL, Kafka and s3proxy. Rows and objects are
 * arranged as the gateway, the preprocess-worker and the gpu-worker leave them: small synthetic
 * heads with their reference labels, and three plane predictions made here by spoiling the
 * reference differently per plane (axial shifted one voxel, coronal scattered errors, sagittal
 * left/right swapped in the lower third). Every expected number is counted here from the volumes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FusionWorkerIT {
    private static final EventCodec codec = new EventCodec();
    private static final ObjectMapper json = new ObjectMapper();
    private static final String GROUP = "triplane-fusion-worker";

    @TempDir
    static Path dir;
    private static TestStack stack;
    private static StackClient client;
    private static UUID tenant;
    private static UUID modelSet;
    private static final List<Scan> scans = new ArrayList<>();
    private static final List<PhantomSubject> subjects = new ArrayList<>();
    /** The scan (index) whose masks lie where the version before volume objects stored them. */
    private static final int LEGACY_SCAN = 1;

    @BeforeAll
    static void stackAndScans() throws Exception {
        stack = TestStack.start(dir);
        client = new StackClient(stack);
        tenant = stack.owner().tx().run(c -> Tenants.create(c, "fusion-it")).id();
        modelSet = stack.owner().tx().run(c -> ModelSets.create(c, "fusion-it-" + UUID.randomUUID(), "MAJORITY_2_OF_3",
                "it")).id();
        PhantomGenerator generator = new PhantomGenerator(PhantomSpec.of(64, 64, 28, new double[] {3.6, 3.6, 5.0}, 21L), 2);
        for (int n = 1; n <= 2; n++) {
            PhantomSubject subject = generator.generate(n);
            subjects.add(subject);
            scans.add(storeScan(n, subject));
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** What the gateway leaves behind: CT, transform file and reference labels uploaded, the scan recorded. */
    private static Scan storeScan(int n, PhantomSubject subject) throws Exception {
        Path ct = dir.resolve(n + ".nii.gz");
        Path transform = dir.resolve(n + ".txt");
        Path labels = dir.resolve(n + "-seg.nii.gz");
        NiftiWriter.write(subject.ct(), ct);
        ItkTransformFile.write(subject.pose(), transform);
        NiftiWriter.write(subject.labels(), labels);
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        client.put(ct, folder + "ct.nii.gz");
        client.put(transform, folder + "transform.txt");
        client.put(labels, folder + "labels.nii.gz");
        Geometry g = subject.ct().geometry();
        AffineTransform t = subject.pose();
        List<Double> parameters = new ArrayList<>(boxed(t.matrix()));
        parameters.addAll(boxed(t.translation()));
        EulerAngles e = EulerAngles.of(t.matrix());
        NewScan scan = NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", sha256(ct), Files.size(ct)))
                .setGeometry(new ScanGeometry(List.of(g.nx(), g.ny(), g.nz()), boxed(g.spacing()), boxed(g.origin()),
                        boxed(g.direction())))
                .optTransform(new StoredObject(folder + "transform.txt", sha256(transform), Files.size(transform)),
                        new ScanTransform(parameters, boxed(t.center()), List.of(e.xDegrees(), e.yDegrees(), e.zDegrees())))
                .optLabels(new StoredObject(folder + "labels.nii.gz", sha256(labels), Files.size(labels)))
                .optWindow(HuWindow.BRAIN).build();
        return stack.owner().tx().inTenant(tenant, c -> Scans.insert(c, scan));
    }

    // ---- the three synthetic plane predictions (uint8, x fastest, on the reference's rotated grid) ----

    private static byte[] truth(int scan) {
        return bytes(subjects.get(scan).labels());
    }

    private static Geometry grid(int scan) {
        return subjects.get(scan).labels().geometry();
    }

    /** Axial: the reference shifted by one voxel along x (a boundary error everywhere). */
    private static byte[] axialLabels(int scan) {
        Geometry g = grid(scan);
        byte[] t = truth(scan);
        byte[] out = new byte[t.length];
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 1; i < g.nx(); i++) {
                    int v = i + g.nx() * (j + g.ny() * k);
                    out[v] = t[v - 1];
                }
            }
        }
        return out;
    }

    /** Coronal: 15 % of the voxels get a random label 0..20. */
    private static byte[] coronalLabels(int scan) {
        byte[] out = truth(scan).clone();
        Random r = new Random(100 + scan);
        for (int v = 0; v < out.length; v++) {
            if (r.nextDouble() < 0.15) {
                out[v] = (byte) r.nextInt(21);
            }
        }
        return out;
    }

    /** Sagittal: left and right regions swapped in the lower third of the slices (labels 1..10 ↔ 11..20). */
    private static byte[] sagittalLabels(int scan) {
        Geometry g = grid(scan);
        byte[] out = truth(scan).clone();
        int slab = g.nx() * g.ny() * (g.nz() / 3);
        for (int v = 0; v < slab; v++) {
            int l = out[v] & 0xff;
            if (l > 0) {
                out[v] = (byte) (l <= 10 ? l + 10 : l - 10);
            }
        }
        return out;
    }

    private static byte[] labels(int scan, Plane plane) {
        return switch (plane) {
            case AXIAL -> axialLabels(scan);
            case CORONAL -> coronalLabels(scan);
            case SAGITTAL -> sagittalLabels(scan);
        };
    }

    /** Confidence 0..255: axial a constant 200, coronal random 60..255, sagittal a constant 120. */
    private static byte[] confidence(int scan, Plane plane) {
        byte[] out = new byte[truth(scan).length];
        Random r = new Random(200 + scan);
        for (int v = 0; v < out.length; v++) {
            out[v] = (byte) switch (plane) {
                case AXIAL -> 200;
                case CORONAL -> 60 + r.nextInt(196);
                case SAGITTAL -> 120;
            };
        }
        return out;
    }

    /** The study's vote, written out: two planes agreeing win, else background. */
    private static byte[] expectedMajority(int scan) {
        byte[] a = axialLabels(scan);
        byte[] c = coronalLabels(scan);
        byte[] s = sagittalLabels(scan);
        byte[] out = new byte[a.length];
        for (int v = 0; v < a.length; v++) {
            out[v] = a[v] == c[v] || a[v] == s[v] ? a[v] : (c[v] == s[v] ? c[v] : 0);
        }
        return out;
    }

    /** Confidence-weighted vote: largest summed confidence; ties to more votes, then axial, coronal, sagittal. */
    private static byte[] expectedConfidenceVote(int scan) {
        byte[][] l = {axialLabels(scan), coronalLabels(scan), sagittalLabels(scan)};
        byte[][] w = {confidence(scan, Plane.AXIAL), confidence(scan, Plane.CORONAL), confidence(scan, Plane.SAGITTAL)};
        byte[] out = new byte[l[0].length];
        for (int v = 0; v < out.length; v++) {
            int best = -1;
            int bestWeight = -1;
            int bestVotes = -1;
            for (int p = 0; p < 3; p++) {
                int weight = 0;
                int votes = 0;
                for (int q = 0; q < 3; q++) {
                    if (l[q][v] == l[p][v]) {
                        weight += w[q][v] & 0xff;
                        votes++;
                    }
                }
                if (weight > bestWeight || (weight == bestWeight && votes > bestVotes)) {
                    best = l[p][v];
                    bestWeight = weight;
                    bestVotes = votes;
                }
            }
            out[v] = (byte) best;
        }
        return out;
    }

    // ---- arranging jobs ----

    /** Atlas method: the reference without its top quarter of slices (as if the registration missed the vertex). */
    private static byte[] atlasLabels(int scan) {
        Geometry g = grid(scan);
        byte[] out = truth(scan).clone();
        java.util.Arrays.fill(out, g.nx() * g.ny() * (g.nz() * 3 / 4), out.length, (byte) 0);
        return out;
    }

    /** Columns x &lt; this are outside the synthetic intracranial masks, on both grids. */
    private static final int MASKED_COLUMNS = 3;

    /** A synthetic intracranial mask on {@code g}: 1 except the first {@link #MASKED_COLUMNS} columns along x. */
    private static byte[] mask(Geometry g) {
        byte[] out = new byte[g.nx() * g.ny() * g.nz()];
        for (int v = 0; v < out.length; v++) {
            out[v] = (byte) (v % g.nx() < MASKED_COLUMNS ? 0 : 1);
        }
        return out;
    }

    /** {@code labels} cleared where {@code mask} is 0, as every stored label volume is. */
    private static byte[] masked(byte[] labels, byte[] mask) {
        byte[] out = labels.clone();
        for (int v = 0; v < out.length; v++) {
            out[v] = mask[v] == 0 ? 0 : out[v];
        }
        return out;
    }

    /**
     * Uploads the three predictions of one scan of a job where the gpu-worker stores them, and
     * what the scan's preprocessing stores: the atlas method's prediction (NIfTI) and the
     * intracranial masks on both grids (volume objects; for {@link #LEGACY_SCAN} gzip NIfTI under
     * their legacy keys, as the version before volume objects stored them).
     */
    private static void uploadPredictions(UUID jobId, int scan) throws Exception {
        uploadPredictions(jobId, scan, true);
    }

    /** As {@link #uploadPredictions(UUID, int)}; without the planes' confidence volumes unless {@code confidence}. */
    private static void uploadPredictions(UUID jobId, int scan, boolean confidence) throws Exception {
        UUID scanId = scans.get(scan).id();
        Path atlas = dir.resolve("atlas-" + UUID.randomUUID() + ".nii.gz");
        NiftiWriter.write(new Volume(grid(scan), new VoxelBuffer.UInt8(atlasLabels(scan))), atlas);
        client.put(atlas, ObjectKeys.atlasLabels(tenant, jobId, scanId));
        Map<String, Volume> masks = Map.of(
                ObjectKeys.intracranialMaskRotated(tenant, scanId), new Volume(grid(scan), new VoxelBuffer.UInt8(mask(grid(scan)))),
                ObjectKeys.intracranialMaskAcquired(tenant, scanId),
                new Volume(subjects.get(scan).ct().geometry(), new VoxelBuffer.UInt8(mask(subjects.get(scan).ct().geometry()))));
        for (Map.Entry<String, Volume> e : masks.entrySet()) {
            if (scan == LEGACY_SCAN) {
                Path f = dir.resolve("mask-" + UUID.randomUUID() + ".nii.gz");
                NiftiWriter.write(e.getValue(), f);
                client.put(f, ObjectKeys.legacyNifti(e.getKey()));
            } else {
                Path f = dir.resolve("mask-" + UUID.randomUUID() + ".tpvol");
                VolumeObjectFormat.write(e.getValue(), f);
                client.put(f, e.getKey());
            }
        }
        for (Plane p : Plane.values()) {
            Path l = dir.resolve("pred-" + UUID.randomUUID() + ".nii.gz");
            Path c = dir.resolve("conf-" + UUID.randomUUID() + ".nii.gz");
            NiftiWriter.write(new Volume(grid(scan), new VoxelBuffer.UInt8(labels(scan, p))), l);
            client.put(l, ObjectKeys.planeLabels(tenant, jobId, scanId, p));
            if (confidence) {
                NiftiWriter.write(new Volume(grid(scan), new VoxelBuffer.UInt8(confidence(scan, p))), c);
                client.put(c, ObjectKeys.planeConfidence(tenant, jobId, scanId, p));
            }
        }
    }

    /**
     * A RUNNING EVALUATE job over {@code scanIndexes}, its scans RUNNING, each with three PLANE tasks
     * in {@code planeStates} order axial, coronal, sagittal.
     */
    private static Job job(String name, String parameters, List<Integer> scanIndexes, TaskState... planeStates) {
        return job(name, parameters, modelSet, scanIndexes, planeStates);
    }

    /** As {@link #job(String, String, List, TaskState...)}, running {@code set}. */
    private static Job job(String name, String parameters, UUID set, List<Integer> scanIndexes, TaskState... planeStates) {
        return stack.owner().tx().inTenant(tenant, c -> {
            JobRequest.Builder request = JobRequest.builder().setTenantId(tenant).setKind(JobKind.EVALUATE).setRequestedBy("it")
                    .setIdempotencyKey(name).setCodeVersion("it")
                    .setScanIds(scanIndexes.stream().map(i -> scans.get(i).id()).toList()).optModelSetId(set);
            if (parameters != null) {
                request.optParametersJson(parameters);
            }
            Job job = Jobs.submit(c, request.build()).job();
            job = Jobs.transition(c, job, JobState.RUNNING, "it", "scans preprocessed");
            for (JobScan js : Jobs.scans(c, job.id())) {
                Jobs.transitionScan(c, js, JobScanState.RUNNING, "it", "preprocessing started");
            }
            for (int i : scanIndexes) {
                for (Plane plane : Plane.values()) {
                    Task t = Tasks.create(c, NewTask.forPlane(job, scans.get(i).id(), plane), "it");
                    TaskState state = planeStates.length == 0 ? TaskState.SUCCEEDED : planeStates[plane.ordinal()];
                    if (state != TaskState.PENDING) {
                        t = Tasks.claim(c, t.id(), "it-gpu", 60).orElseThrow();
                        Tasks.transition(c, t, state, "it-gpu", state == TaskState.FAILED ? "bad input" : "stored");
                    }
                }
            }
            return job;
        });
    }

    private static PlaneResult event(Job job, int scan, Plane plane) {
        UUID scanId = scans.get(scan).id();
        UUID taskId = tasks(job.id()).stream()
                .filter(t -> t.kind() == TaskKind.PLANE && t.scanId().equals(scanId) && t.plane().name().equals(plane.name()))
                .findFirst().orElseThrow().id();
        return new PlaneResult(PlaneResult.VERSION, UUID.randomUUID(), tenant, job.id(), scanId, taskId, plane, UUID.randomUUID(),
                ObjectKeys.planeLabels(tenant, job.id(), scanId, plane), ObjectKeys.planeConfidence(tenant, job.id(), scanId, plane),
                Instant.now());
    }

    private static void publish(PlaneResult e) throws Exception {
        client.publish(Topics.PLANE_RESULTS, e.key(), codec.encode(e));
    }

    private static ServiceProcess worker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("triplane.fusion.worker-id", name);
        settings.put("triplane.fusion.lease", "4s");
        settings.put("triplane.fusion.heartbeat", "1s");
        settings.put("triplane.fusion.sweep-interval", "1s");
        settings.put("triplane.fusion.poll-interval", "1s");
        settings.put("triplane.fusion.threads", "1");
        settings.putAll(extra);
        return ServiceProcess.start(stack, dir, name, Path.of(System.getProperty("worker.jar")), 384, settings, Map.of(),
                Duration.ofSeconds(90));
    }

    // ---- reading back ----

    private static Job jobRow(UUID id) {
        return stack.owner().tx().run(c -> Jobs.find(c, id).orElseThrow());
    }

    private static List<Task> tasks(UUID jobId) {
        return stack.owner().tx().run(c -> Tasks.forJob(c, jobId));
    }

    private static List<Task> fusionTasks(UUID jobId) {
        return tasks(jobId).stream().filter(t -> t.kind() == TaskKind.FUSION).toList();
    }

    private static void awaitJob(Job job, JobState state, Duration timeout) throws Exception {
        StackClient.await("job " + job.id() + " " + state, timeout, () -> {
            Job j = jobRow(job.id());
            assertThat(j.state()).as("job %s failed: %s", j.id(), j.error()).isNotEqualTo(JobState.FAILED);
            return j.state() == state;
        });
    }

    private static List<JobScan> jobScans(UUID jobId) {
        return stack.owner().tx().run(c -> Jobs.scans(c, jobId));
    }

    private static List<ClassMetric> metrics(UUID jobId, UUID scanId) {
        return stack.owner().tx().run(c -> Results.classMetrics(c, jobId, scanId));
    }

    private static long resultRows(UUID jobId) {
        return stack.owner().tx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM results WHERE job_id = ?")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static long processedRows(UUID eventId) {
        return stack.owner().tx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM processed_events WHERE event_id = ?")) {
                ps.setString(1, eventId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static FusedResult result(UUID jobId, int scan) {
        return stack.owner().tx().run(c -> FusedResults.find(c, jobId, scans.get(scan).id())).orElseThrow();
    }

    private static Volume read(String key) throws Exception {
        Path f = dir.resolve("get-" + UUID.randomUUID() + ".nii.gz");
        Files.write(f, client.get(key));
        return NiftiReader.read(f);
    }

    /**
     * Beside each label volume of the result (fused on both grids, each plane's, the atlas method's
     * on both grids) its ITK-SNAP and Slicer tables are stored and named in the plane keys, holding
     * left C in its report colour (#1f77b4).
     */
    private static void assertViewerTablesBesideEveryLabelVolume(FusedResult r) throws Exception {
        JsonNode keys = json.readTree(r.planeKeysJson());
        Map<String, String> volumes = new LinkedHashMap<>();
        volumes.put("segmentation", r.segmentationKey());
        volumes.put("rotated-segmentation", r.rotatedSegmentationKey());
        for (String plane : List.of("axial", "coronal", "sagittal", "atlas")) {
            volumes.put(plane + "/labels", keys.path(plane).path("labels").asText());
        }
        volumes.put("atlas/labels-acquired", keys.path("atlas").path("labels-acquired").asText());
        for (Map.Entry<String, String> v : volumes.entrySet()) {
            String base = v.getValue().substring(0, v.getValue().length() - ".nii.gz".length());
            String[] at = v.getKey().split("/");
            JsonNode holder = at.length == 1 ? keys : keys.path(at[0]);
            String name = at[at.length - 1];
            assertThat(holder.path(name + ".itksnap.txt").asText()).as(v.getKey()).isEqualTo(base + ".itksnap.txt");
            assertThat(holder.path(name + ".ctbl").asText()).as(v.getKey()).isEqualTo(base + ".ctbl");
            assertThat(new String(client.get(base + ".itksnap.txt"), StandardCharsets.US_ASCII))
                    .contains("\n    1    31  119  180        1  1  1    \"left C\"\n");
            assertThat(new String(client.get(base + ".ctbl"), StandardCharsets.US_ASCII))
                    .startsWith("# Color table file").contains("\n1 left_C 31 119 180 255\n");
        }
    }

    // ---- the tests ----

    @Test
    @Order(1)
    void anEvaluateJobIsFusedInBothSpacesWithMetricsCountedPerClassAndPlane() throws Exception {
        Job job = job("evaluate", null, List.of(0, 1));
        // why scan 1 without the planes' confidence: the majority vote decides by labels alone and reads none
        for (int scan = 0; scan < 2; scan++) {
            uploadPredictions(job.id(), scan, scan == 0);
        }
        try (ServiceProcess worker = worker("fusion-a", Map.of())) {
            for (int scan = 0; scan < 2; scan++) {
                for (Plane p : Plane.values()) {
                    publish(event(job, scan, p));
                }
            }
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(2));
            // why: the liveness check is the worker kit's (worker-support), found through the worker's consumer bean
            JsonNode live = json.readTree(worker.get("/q/health/live").body());
            assertThat(live.path("checks").findParents("name")).filteredOn(c -> c.path("name").asText().equals("consumer"))
                    .singleElement().satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("UP"));
        }
        assertThat(jobScans(job.id()))
                .allSatisfy(js -> assertThat(js.state()).isEqualTo(JobScanState.SUCCEEDED));
        for (int scan = 0; scan < 2; scan++) {
            UUID scanId = scans.get(scan).id();
            FusedResult r = result(job.id(), scan);
            assertThat(r.fusionMethod()).isEqualTo("majority");
            assertThat(r.modelSetId()).isEqualTo(modelSet);
            assertThat(r.segmentationKey()).isEqualTo(ObjectKeys.fusedLabelsAcquired(tenant, job.id(), scanId));
            assertThat(r.rotatedSegmentationKey()).isEqualTo(ObjectKeys.fusedLabelsRotated(tenant, job.id(), scanId));
            assertThat(json.readTree(r.planeKeysJson()).path("coronal").path("labels").asText())
                    .isEqualTo(ObjectKeys.planeLabels(tenant, job.id(), scanId, Plane.CORONAL));

            assertThat(json.readTree(r.planeKeysJson()).path("atlas").path("labels").asText())
                    .isEqualTo(ObjectKeys.atlasLabels(tenant, job.id(), scanId));
            assertViewerTablesBesideEveryLabelVolume(r);

            // fused on the rotated grid: exactly the 2-of-3 vote, cleared outside the mask
            Volume rotated = read(r.rotatedSegmentationKey());
            assertThat(rotated.type()).isEqualTo(DataType.UINT8);
            assertThat(rotated.geometry().sameGrid(grid(scan), 1e-4)).isTrue();
            byte[] fused = masked(expectedMajority(scan), mask(grid(scan)));
            assertThat(bytes(rotated)).isEqualTo(fused);

            // on the acquired grid: the CT's grid, each voxel q holding the fused label at T⁻¹(q)
            Volume ct = subjects.get(scan).ct();
            Volume acquired = read(r.segmentationKey());
            assertThat(acquired.geometry().sameGrid(ct.geometry(), 1e-4)).isTrue();
            assertMappedThroughTheInverseTransform(acquired, fused, grid(scan), subjects.get(scan).pose());

            assertRegionStatisticsMeasureTheOriginalCt(json.readTree(r.regionStatisticsJson()), ct, bytes(acquired),
                    voxelMl(acquired.geometry()));

            List<ClassMetric> rows = metrics(job.id(), scanId);
            assertThat(rows).hasSize(5 * 21);
            double voxelMl = voxelMl(rotated.geometry());
            Map<MetricPlane, byte[]> predictions = Map.of(MetricPlane.FUSED, fused, MetricPlane.AXIAL, axialLabels(scan),
                    MetricPlane.CORONAL, coronalLabels(scan), MetricPlane.SAGITTAL, sagittalLabels(scan),
                    MetricPlane.ATLAS, atlasLabels(scan));
            EvaluationDocument evaluation = json.readValue(r.evaluationJson(), EvaluationDocument.class);
            assertThat(evaluation.predictions()).hasSize(predictions.size());
            for (Map.Entry<MetricPlane, byte[]> e : predictions.entrySet()) {
                assertMetricsCounted(rows, e.getKey(), truth(scan), e.getValue(), voxelMl);
                assertSummaryCounted(evaluation.prediction(e.getKey().wireName()).orElseThrow(), truth(scan), e.getValue());
            }
            Task fusion = fusionTasks(job.id()).stream().filter(t -> t.scanId().equals(scanId)).findFirst().orElseThrow();
            JsonNode timings = json.readTree(fusion.timingsJson());
            for (String phase : List.of("download_s", "fuse_s", "map_s", "statistics_s", "metrics_s", "upload_s", "total_s")) {
                assertThat(timings.path(phase).isNumber()).as("timing %s in %s", phase, timings).isTrue();
            }
        }
        assertThat(fusionTasks(job.id())).hasSize(2).allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
    }

    private static void assertMappedThroughTheInverseTransform(Volume acquired, byte[] fused, Geometry rotatedGrid,
                                                               AffineTransform pose) {
        Geometry g = acquired.geometry();
        AffineTransform inverse = pose.inverse();
        byte[] a = bytes(acquired);
        int checked = 0;
        int agree = 0;
        for (int v = 0; v < a.length; v += 7) {
            int i = v % g.nx();
            int j = (v / g.nx()) % g.ny();
            int k = v / (g.nx() * g.ny());
            double[] idx = rotatedGrid.physicalToIndex(inverse.apply(g.indexToPhysical(i, j, k)));
            long ri = Math.round(idx[0]);
            long rj = Math.round(idx[1]);
            long rk = Math.round(idx[2]);
            // why: only points well inside the rotated grid, away from where rounding at its edge decides
            if (idx[0] < 1 || idx[1] < 1 || idx[2] < 1 || idx[0] > rotatedGrid.nx() - 2 || idx[1] > rotatedGrid.ny() - 2
                    || idx[2] > rotatedGrid.nz() - 2) {
                continue;
            }
            checked++;
            // the acquired grid's own mask clears its first columns, whatever the rotated grid held there
            int expected = i < MASKED_COLUMNS ? 0 : fused[(int) (ri + rotatedGrid.nx() * (rj + rotatedGrid.ny() * rk))];
            agree += a[v] == expected ? 1 : 0;
        }
        assertThat(checked).isGreaterThan(1000);
        // why: a point exactly halfway between two voxel centres may round either way
        assertThat((double) agree / checked).isGreaterThan(0.99);
    }

    private static void assertRegionStatisticsMeasureTheOriginalCt(JsonNode stats, Volume ct, byte[] acquired,
                                                                   double voxelMl) {
        assertThat(stats.path("grid").asText()).isEqualTo("acquired");
        long[] counts = new long[21];
        double[] sums = new double[21];
        for (int v = 0; v < acquired.length; v++) {
            counts[acquired[v] & 0xff]++;
            sums[acquired[v] & 0xff] += ct.voxels().get(v);
        }
        JsonNode regions = stats.path("regions");
        assertThat(regions).hasSize(20);
        int present = 0;
        for (int label = 1; label <= 20; label++) {
            JsonNode r = regions.get(label - 1);
            assertThat(r.path("label").asInt()).isEqualTo(label);
            assertThat(r.path("voxels").asLong()).as("voxels of label %d", label).isEqualTo(counts[label]);
            assertThat(r.path("volumeMl").asDouble()).isCloseTo(counts[label] * voxelMl, within(1e-6));
            if (counts[label] > 0) {
                present++;
                assertThat(r.path("meanHu").asDouble()).as("mean HU of label %d", label)
                        .isCloseTo(sums[label] / counts[label], within(1e-6));
            }
        }
        assertThat(present).as("regions present in the fused segmentation").isGreaterThan(15);
        JsonNode pairs = stats.path("pairs");
        assertThat(pairs).hasSize(10);
        for (JsonNode p : pairs) {
            int l = p.path("leftLabel").asInt();
            assertThat(p.path("rightLabel").asInt()).isEqualTo(l + 10);
            if (counts[l] > 0 && counts[l + 10] > 0) {
                double left = sums[l] / counts[l];
                double right = sums[l + 10] / counts[l + 10];
                double difference = left - right;
                double ratio = left > 0 && right > 0 ? Math.min(left, right) / Math.max(left, right) : Double.NaN;
                assertThat(p.path("differenceHu").asDouble()).isCloseTo(difference, within(1e-6));
                assertThat(p.path("flagged").asBoolean()).isEqualTo(Math.abs(difference) >= 2.0 || ratio <= 0.95);
            }
        }
    }

    /** TP/FP/FN/TN per class counted straight from the two label arrays, against the stored rows. */
    private static void assertMetricsCounted(List<ClassMetric> rows, MetricPlane plane, byte[] truth, byte[] predicted,
                                             double voxelMl) {
        for (int label = 0; label <= 20; label++) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int v = 0; v < truth.length; v++) {
                boolean t = (truth[v] & 0xff) == label;
                boolean p = (predicted[v] & 0xff) == label;
                tp += t && p ? 1 : 0;
                fp += !t && p ? 1 : 0;
                fn += t && !p ? 1 : 0;
            }
            long tn = truth.length - tp - fp - fn;
            int l = label;
            ClassMetric row = rows.stream().filter(m -> m.plane() == plane && m.classLabel() == l).findFirst().orElseThrow();
            assertThat(new long[] {row.tp(), row.fp(), row.fn(), row.tn()}).as("%s class %d", plane, label)
                    .containsExactly(tp, fp, fn, tn);
            if (tp + fp + fn > 0) {
                assertThat(row.iou()).isCloseTo((double) tp / (tp + fp + fn), within(1e-12));
                assertThat(row.dice()).isCloseTo(2.0 * tp / (2.0 * tp + fp + fn), within(1e-12));
            } else {
                assertThat(row.iou()).as("%s class %d in neither: no IoU", plane, label).isNull();
                assertThat(row.dice()).as("%s class %d in neither: no Dice", plane, label).isNull();
            }
            if (fn > 0) {
                assertThat(row.fpFnRatio()).isCloseTo((double) fp / fn, within(1e-12));
            } else {
                assertThat(row.fpFnRatio()).as("%s class %d has FN = 0: no ratio", plane, label).isNull();
            }
            assertThat(row.misclassification()).isCloseTo((double) (fp + fn) / truth.length, within(1e-12));
            assertThat(row.gtMl()).isCloseTo((tp + fn) * voxelMl, within(1e-6));
            assertThat(row.predMl()).isCloseTo((tp + fp) * voxelMl, within(1e-6));
        }
    }

    /** Mean IoU over the regions present and the left/right confusion, counted here. */
    private static void assertSummaryCounted(EvaluationDocument.Prediction summary, byte[] truth, byte[] predicted) {
        double iouSum = 0;
        int present = 0;
        for (int label = 1; label <= 20; label++) {
            long tp = 0;
            long union = 0;
            for (int v = 0; v < truth.length; v++) {
                boolean t = (truth[v] & 0xff) == label;
                boolean p = (predicted[v] & 0xff) == label;
                tp += t && p ? 1 : 0;
                union += t || p ? 1 : 0;
            }
            if (union > 0) {
                iouSum += (double) tp / union;
                present++;
            }
        }
        long regionVoxels = 0;
        long swapped = 0;
        for (int v = 0; v < truth.length; v++) {
            int t = truth[v] & 0xff;
            if (t > 0) {
                regionVoxels++;
                swapped += (predicted[v] & 0xff) == (t <= 10 ? t + 10 : t - 10) ? 1 : 0;
            }
        }
        assertThat(summary.meanIoU()).isCloseTo(iouSum / present, within(1e-12));
        assertThat(summary.leftRightConfusionRate()).isCloseTo((double) swapped / regionVoxels, within(1e-12));
        assertThat(summary.confusion()).hasNumberOfRows(21);
        assertThat(summary.meanDice()).isNotNull();
        assertThat(summary.voxels()).isEqualTo(truth.length);
    }

    @Test
    @Order(2)
    void duplicateAndOutOfOrderPlaneResultsGiveOneFusionTaskAndOneResult() throws Exception {
        Job job = job("duplicates", "{\"fusion\": \"confidence\", \"fusionAtlasVoter\": true}", List.of(0));
        uploadPredictions(job.id(), 0);
        PlaneResult axial = event(job, 0, Plane.AXIAL);
        PlaneResult coronal = event(job, 0, Plane.CORONAL);
        PlaneResult sagittal = event(job, 0, Plane.SAGITTAL);
        try (ServiceProcess worker = worker("fusion-a", Map.of())) {
            publish(sagittal);
            publish(coronal);
            publish(sagittal);
            publish(axial);
            publish(axial);
            publish(event(job, 0, Plane.CORONAL));
            publish(event(job, 0, Plane.AXIAL));
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(2));
            client.awaitConsumed(GROUP, Topics.PLANE_RESULTS, Duration.ofSeconds(60));
        }
        assertThat(resultRows(job.id())).isEqualTo(1);
        List<Task> fusion = fusionTasks(job.id());
        assertThat(fusion).hasSize(1);
        assertThat(fusion.get(0).attempt()).isEqualTo(1);
        List<StateTransition> log = stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.TASK, fusion.get(0).id()));
        assertThat(log).filteredOn(s -> "SUCCEEDED".equals(s.toState())).hasSize(1);
        FusedResult r = result(job.id(), 0);
        assertThat(r.fusionMethod()).isEqualTo("confidence+atlas");
        // the atlas as a fourth voter with confidence 255: the equal-weighted vote of the four
        PlanePrediction[] p = new PlanePrediction[3];
        for (Plane plane : Plane.values()) {
            p[plane.ordinal()] = new PlanePrediction(plane,
                    new Volume(grid(0), new VoxelBuffer.UInt8(labels(0, plane))),
                    new Volume(grid(0), new VoxelBuffer.UInt8(confidence(0, plane))));
        }
        byte[] withAtlas = bytes(WeightedVote.equal().fuse(p[0], p[1], p[2],
                new Volume(grid(0), new VoxelBuffer.UInt8(atlasLabels(0)))).labels());
        assertThat(withAtlas).isNotEqualTo(expectedConfidenceVote(0));
        assertThat(bytes(read(r.rotatedSegmentationKey()))).isEqualTo(masked(withAtlas, mask(grid(0))));
        assertThat(metrics(job.id(), scans.get(0).id())).hasSize(5 * 21);
    }

    @Test
    @Order(3)
    void aResultAlreadyRecordedIsLeftUnchanged() throws Exception {
        Job job = job("recorded-before", null, List.of(1));
        UUID scanId = scans.get(1).id();
        FusedResult before = new FusedResult(tenant, job.id(), scanId, modelSet, "earlier/acquired.nii.gz",
                "earlier/rotated.nii.gz", "{}", "confidence", "{\"regions\": []}", null, null);
        stack.owner().tx().run(c -> FusedResults.insertIfAbsent(c, before));
        uploadPredictions(job.id(), 1);
        try (ServiceProcess worker = worker("fusion-a", Map.of())) {
            for (Plane p : Plane.values()) {
                publish(event(job, 1, p));
            }
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(2));
        }
        FusedResult after = result(job.id(), 1);
        assertThat(after.segmentationKey()).isEqualTo(before.segmentationKey());
        assertThat(after.rotatedSegmentationKey()).isEqualTo(before.rotatedSegmentationKey());
        assertThat(after.fusionMethod()).isEqualTo("confidence");
        assertThat(after.evaluationJson()).isNull();
        assertThat(metrics(job.id(), scanId)).isEmpty();
        assertThat(client.exists(ObjectKeys.fusedLabelsAcquired(tenant, job.id(), scanId))).isFalse();
        assertThat(fusionTasks(job.id())).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED));
    }

    @Test
    @Order(4)
    void aKilledFusionTaskIsRedoneOnceByAnotherWorker() throws Exception {
        Job job = job("killed", null, List.of(0));
        uploadPredictions(job.id(), 0);
        try (ServiceProcess slow = worker("fusion-slow", Map.of("triplane.fusion.test-delay-after-claim", "60s"))) {
            for (Plane p : Plane.values()) {
                publish(event(job, 0, p));
            }
            StackClient.await("the slow worker holds the fusion task", Duration.ofSeconds(60), () -> fusionTasks(job.id()).stream()
                    .anyMatch(t -> t.state() == TaskState.RUNNING && "fusion-slow".equals(t.worker())));
            slow.kill();
        }
        try (ServiceProcess worker = worker("fusion-b", Map.of())) {
            awaitJob(job, JobState.SUCCEEDED, Duration.ofMinutes(2));
        }
        Task done = fusionTasks(job.id()).get(0);
        assertThat(fusionTasks(job.id())).hasSize(1);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.worker()).isEqualTo("fusion-b");
        List<StateTransition> log = stack.owner().tx().run(c -> TransitionLog.history(c, EntityType.TASK, done.id()));
        assertThat(log).filteredOn(s -> "RUNNING".equals(s.fromState()) && "PENDING".equals(s.toState())).hasSize(1);
        assertThat(log).filteredOn(s -> "SUCCEEDED".equals(s.toState())).hasSize(1);
        assertThat(resultRows(job.id())).isEqualTo(1);
        assertThat(bytes(read(result(job.id(), 0).rotatedSegmentationKey()))).isEqualTo(expectedMajority(0));
    }

    @Test
    @Order(5)
    void aJobWithAFailedPlaneOrThatHasFailedIsNotFused() throws Exception {
        Job failedPlane = job("failed-plane", null, List.of(0), TaskState.SUCCEEDED, TaskState.SUCCEEDED, TaskState.FAILED);
        Job failedJob = job("failed-job", null, List.of(1));
        for (Job j : List.of(failedPlane, failedJob)) {
            stack.owner().tx().run(c -> Jobs.transition(c, Jobs.find(c, j.id()).orElseThrow(), JobState.FAILED, "it",
                    "a plane failed"));
        }
        uploadPredictions(failedPlane.id(), 0);
        uploadPredictions(failedJob.id(), 1);
        List<PlaneResult> events = new ArrayList<>(List.of(event(failedPlane, 0, Plane.AXIAL),
                event(failedPlane, 0, Plane.CORONAL)));
        for (Plane p : Plane.values()) {
            events.add(event(failedJob, 1, p));
        }
        try (ServiceProcess worker = worker("fusion-a", Map.of())) {
            for (PlaneResult e : events) {
                publish(e);
            }
            client.awaitConsumed(GROUP, Topics.PLANE_RESULTS, Duration.ofSeconds(60));
        }
        // why nothing further to wait for: the transaction that records a plane result as processed is the one that
        // creates the scan's fusion task when there is one to create, and nothing else creates fusion tasks (the
        // poller only claims them), so once an event has its processed row a task made by mistake would be there to
        // see. The consumer commits a record only after that transaction and any run of the task it made; the rows
        // also show that each event was decided on rather than dead-lettered as unreadable
        for (PlaneResult e : events) {
            assertThat(processedRows(e.eventId())).as("plane result %s (%s) decided on", e.eventId(), e.plane()).isEqualTo(1);
        }
        for (Job j : List.of(failedPlane, failedJob)) {
            assertThat(fusionTasks(j.id())).isEmpty();
            assertThat(resultRows(j.id())).isZero();
            assertThat(jobRow(j.id()).state()).isEqualTo(JobState.FAILED);
        }
    }

    @Test
    @Order(6)
    void aLearnedJobVotesWithItsModelSetsWeightsAndWithoutWeightsFailsNamingHowToFitThem() throws Exception {
        // weights as a fit would leave them: the atlas trusted except above its missing vertex, where it says 0
        double[][] w = WeightedVote.equal().weights();
        w[3][0] = 0.1;
        for (int label = 1; label <= 20; label++) {
            w[3][label] = 3;
            w[1][label] = 0.5;
        }
        WeightedVote vote = new WeightedVote(w);
        UUID weighted = stack.owner().tx().run(c -> ModelSets.create(c, "fusion-it-learned-" + UUID.randomUUID(),
                "MAJORITY_2_OF_3", "it")).id();
        // why no tenant: weights shipped with a set name an evaluate job of another stack
        stack.owner().tx().run(c -> ModelSetFusionWeights.record(c, new FusionWeights(weighted,
                java.util.Arrays.stream(vote.memberMajor()).boxed().toList(), UUID.randomUUID(), List.of(UUID.randomUUID()),
                0.9, 0.8, List.of(0.7, 0.6, 0.5, 0.85), null, null, "it")));
        Job learned = job("learned", "{\"fusion\": \"learned\"}", weighted, List.of(0, 1));
        Job unfitted = job("learned-without-weights", "{\"fusion\": \"learned\"}", List.of(0));
        for (int scan = 0; scan < 2; scan++) {
            uploadPredictions(learned.id(), scan);
        }
        uploadPredictions(unfitted.id(), 0);
        try (ServiceProcess worker = worker("fusion-a", Map.of())) {
            for (int scan = 0; scan < 2; scan++) {
                for (Plane p : Plane.values()) {
                    publish(event(learned, scan, p));
                }
            }
            for (Plane p : Plane.values()) {
                publish(event(unfitted, 0, p));
            }
            awaitJob(learned, JobState.SUCCEEDED, Duration.ofMinutes(2));
            StackClient.await("job " + unfitted.id() + " FAILED", Duration.ofMinutes(2),
                    () -> jobRow(unfitted.id()).state() == JobState.FAILED);
        }
        for (int scan = 0; scan < 2; scan++) {
            FusedResult r = result(learned.id(), scan);
            assertThat(r.fusionMethod()).isEqualTo("learned");
            PlanePrediction[] p = new PlanePrediction[3];
            for (Plane plane : Plane.values()) {
                p[plane.ordinal()] = new PlanePrediction(plane,
                        new Volume(grid(scan), new VoxelBuffer.UInt8(labels(scan, plane))),
                        new Volume(grid(scan), new VoxelBuffer.UInt8(confidence(scan, plane))));
            }
            byte[] expected = masked(bytes(vote.fuse(p[0], p[1], p[2],
                    new Volume(grid(scan), new VoxelBuffer.UInt8(atlasLabels(scan)))).labels()), mask(grid(scan)));
            assertThat(expected).isNotEqualTo(masked(bytes(WeightedVote.equal().fuse(p[0], p[1], p[2],
                    new Volume(grid(scan), new VoxelBuffer.UInt8(atlasLabels(scan)))).labels()), mask(grid(scan))));
            Volume rotated = read(r.rotatedSegmentationKey());
            assertThat(bytes(rotated)).isEqualTo(expected);
            assertMetricsCounted(metrics(learned.id(), scans.get(scan).id()), MetricPlane.FUSED, truth(scan), expected,
                    voxelMl(rotated.geometry()));
        }
        Job failed = jobRow(unfitted.id());
        assertThat(failed.error()).contains("model set " + modelSet + " has no fusion weights")
                .contains("triplane model-set fit-fusion " + modelSet + " --from-job");
        assertThat(resultRows(unfitted.id())).isZero();
        List<DeadLetter> letters = stack.owner().tx().run(c -> DeadLetters.ofJob(c, unfitted.id()));
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.reason()).contains("has no fusion weights");
            assertThat(d.consumer()).isEqualTo("fusion-worker");
            assertThat(d.taskId()).isNotNull();
        });
    }

    /** One voxel's volume in ml; the spacing as stored in the NIfTI file (float32), as the worker read it. */
    private static double voxelMl(Geometry g) {
        return g.spacing()[0] * g.spacing()[1] * g.spacing()[2] / 1000.0;
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    private static List<Double> boxed(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
