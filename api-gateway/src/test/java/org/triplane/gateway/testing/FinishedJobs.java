package org.triplane.gateway.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.triplane.db.Database;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.results.Results;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.deploy.local.StackConfig;
import org.triplane.events.ResultKeys;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.RegionStatisticsDocument;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * Finished jobs arranged the way the workers leave them, written directly to the database (as the
 * schema owner, through the `db` stores) and the object store: scans uploaded through the API, a
 * complete model set with training lineage, an evaluate job submitted through the API, then its
 * tasks claimed, requeued once and finished with worker, device and timings, its scans and the job
 * moved to SUCCEEDED, and per scan the fused labels (the reference labels perturbed), a results
 * row and the class-metric rows. Confusion counts are tallied here from the label arrays, so the
 * tests' expected numbers never come from the gateway.
 */
public final class FinishedJobs {

    /** Actor recorded for the fusion-worker's changes. */
    public static final String FUSION_WORKER = "fusion-worker-it";
    /** Worker that lost its lease on each plane task (attempt 1). */
    public static final String LOST_GPU_WORKER = "gpu-worker-lost";
    /** Worker that ran each plane task to the end (attempt 2). */
    public static final String GPU_WORKER = "gpu-worker-it";
    private static final int CLASSES = 21;

    private final Api api;
    private final Database owner;
    private final MinioClient minio;
    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();

    /** @param env the running stack and gateway @param api its API @param dir scratch directory */
    public FinishedJobs(StackAndGateway env, Api api, Path dir) {
        this.api = api;
        this.owner = env.owner();
        StackConfig c = env.stack();
        this.minio = MinioClient.builder().endpoint(c.s3Endpoint()).credentials(c.s3AccessKey(), c.s3SecretKey())
                .region(StackConfig.S3_REGION).build();
        this.dir = dir;
    }

    /** @param scanId the scan @param ctSha256 its CT checksum as stored @param subject the phantom files */
    public record Uploaded(UUID scanId, String ctSha256, Phantoms.Subject subject) {
    }

    /**
     * @param t tenant @param s phantom @return the uploaded scan (CT, transform and labels)
     */
    public Uploaded upload(Api.Tenant t, Phantoms.Subject s) {
        Response r = api.upload(t.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                new Api.Part("transform", "t.txt", Phantoms.bytes(s.transform())),
                new Api.Part("labels", "seg.nii.gz", Phantoms.bytes(s.labels()))));
        if (r.statusCode() != 201) {
            throw new AssertionError("upload: " + r.statusCode() + " " + r.asString());
        }
        return new Uploaded(UUID.fromString(r.path("id")), r.path("ct.sha256"), s);
    }

    /**
     * A complete model set (one model per plane) whose hyper-parameters name the job that trained it.
     *
     * @param trainingJobId  recorded as {@code trainingJobId}
     * @param trainingScans  recorded as training scans, with made-up checksums
     * @return the set
     */
    public ModelSet modelSet(UUID trainingJobId, List<UUID> trainingScans) {
        return modelSet("it-set-" + UUID.randomUUID(), trainingJobId, trainingScans);
    }

    /** {@link #modelSet(UUID, List)} under the given name. */
    public ModelSet modelSet(String name, UUID trainingJobId, List<UUID> trainingScans) {
        ModelSet set = owner.tx().run(c -> ModelSets.create(c, name, "MAJORITY_2_OF_3", "it-1"));
        addModels(set, trainingJobId, trainingScans);
        return set;
    }

    /**
     * A complete model set produced by a TRAIN job of the tenant (the job's row only: SUCCEEDED, no tasks),
     * as the preprocess-worker creates a train job's set.
     *
     * @param t             the tenant whose train job produced it
     * @param trainingScans its scans, recorded as the models' training scans
     * @return the set, its {@code trainingJobId} the train job
     */
    public ModelSet trainedModelSet(Api.Tenant t, List<UUID> trainingScans) {
        Job train = owner.tx().inTenant(t.id(), c -> Jobs.submit(c, JobRequest.builder().setTenantId(t.id())
                .setKind(JobKind.TRAIN).setRequestedBy("it").setIdempotencyKey("train-" + UUID.randomUUID()).setCodeVersion("it-1")
                .setScanIds(trainingScans).build()).job());
        owner.tx().run(c -> Jobs.transition(c, Jobs.transition(c, train, JobState.RUNNING, "it", "training"),
                JobState.SUCCEEDED, "it", "trained"));
        ModelSet set = owner.tx().run(c -> ModelSets.create(c, "it-trained-" + UUID.randomUUID(), "MAJORITY_2_OF_3",
                "it-1", train.id(), null, null));
        addModels(set, train.id(), trainingScans);
        return set;
    }

    private void addModels(ModelSet set, UUID trainingJobId, List<UUID> trainingScans) {
        for (Plane p : Plane.values()) {
            owner.tx().run(c -> Models.insert(c, new Model(null, set.id(), p, "unet",
                    "{\"preset\": \"tiny\", \"seed\": 42, \"trainingJobId\": \"" + trainingJobId + "\"}", 42L,
                    trainingScans, trainingScans.stream().map(x -> "c".repeat(64)).toList(), List.of(2.0, 2.0, 2.0),
                    List.of(128, 80), "it-1", 30.5, "{\"meanIoU\": 0.55}", "models/" + set.id() + "/" + p + ".params",
                    "d".repeat(64), null)));
        }
    }

    /**
     * What was written for one scan.
     *
     * @param scanId          the scan
     * @param confusion       per prediction the 21×21 counts (rows reference, columns prediction)
     * @param voxelMl         volume of one voxel, ml
     * @param segmentationKey object key of the fused labels
     * @param fused           the fused labels written
     */
    public record Written(UUID scanId, Map<MetricPlane, long[][]> confusion, double voxelMl, String segmentationKey,
                          Volume fused) {
    }

    /** @param jobId the job @param modelSetId its set @param scans per scan, in the order given */
    public record Finished(UUID jobId, UUID modelSetId, List<Written> scans) {
    }

    /**
     * Submits an evaluate job through the API and leaves it SUBMITTED.
     *
     * @param t tenant @param key idempotency key @param scans scans @param set model set
     * @return the job id
     */
    public UUID submit(Api.Tenant t, String key, List<Uploaded> scans, ModelSet set) {
        Response r = api.submit(t.apiKey(), key, Map.of("kind", "evaluate", "modelSetId", set.id().toString(),
                "scanIds", scans.stream().map(s -> s.scanId().toString()).toList()));
        if (r.statusCode() != 201) {
            throw new AssertionError("submit: " + r.statusCode() + " " + r.asString());
        }
        return UUID.fromString(r.path("id"));
    }

    /**
     * A SUCCEEDED evaluate job with results and metrics for every scan.
     *
     * @param t     tenant
     * @param key   idempotency key
     * @param scans its scans
     * @param set   its model set
     * @param seed  chooses the perturbation of the reference labels (different seeds, different metrics)
     * @return what was written
     */
    public Finished finish(Api.Tenant t, String key, List<Uploaded> scans, ModelSet set, int seed) {
        return finish(t, key, scans, set, (jobId, s) -> writeResult(t.id(), jobId, set.id(), s, seed));
    }

    /**
     * A SUCCEEDED evaluate job of one scan whose fused labels are a given file, streamed to the store
     * (never read whole: for scans larger than the test's heap), with no metrics.
     *
     * @param t      tenant
     * @param key    idempotency key
     * @param scanId the uploaded scan
     * @param set    its model set
     * @param fused  the fused labels on the scan's grid (NIfTI, 0..20)
     * @return what was written ({@link Written#confusion} empty, {@link Written#fused} {@code null})
     */
    public Finished finishWithFusedLabels(Api.Tenant t, String key, UUID scanId, ModelSet set, Path fused) {
        return finish(t, key, List.of(new Uploaded(scanId, null, null)), set, (jobId, s) -> {
            String acquired = fusedKey(t.id(), jobId, scanId);
            try (InputStream in = Files.newInputStream(fused)) {
                minio.putObject(PutObjectArgs.builder().bucket(StackConfig.BUCKET).object(acquired)
                        .stream(in, Files.size(fused), -1).contentType("application/gzip").build());
            } catch (Exception e) {
                throw new IllegalStateException("put " + acquired, e);
            }
            // why: the fused labels are streamed, never read whole, so no region is measured
            RegionStatisticsDocument unmeasured = new RegionStatisticsDocument(RegionStatisticsDocument.ACQUIRED_GRID, 0,
                    RegionStatistics.DIFFERENCE_LIMIT_HU, RegionStatistics.RATIO_LIMIT, List.of(), List.of(), List.of());
            FusedResult result = new FusedResult(t.id(), jobId, scanId, set.id(), acquired, acquired, "{}", "majority",
                    json(unmeasured), null, null);
            owner.tx().run(c -> {
                FusedResults.insertIfAbsent(c, result);
                return null;
            });
            return new Written(scanId, Map.of(), 0, acquired, null);
        });
    }

    private Finished finish(Api.Tenant t, String key, List<Uploaded> scans, ModelSet set,
                            java.util.function.BiFunction<UUID, Uploaded, Written> write) {
        UUID jobId = submit(t, key, scans, set);
        Job job = owner.tx().run(c -> Jobs.find(c, jobId)).orElseThrow();
        Job running = owner.tx().run(c -> Jobs.transition(c, job, JobState.RUNNING, "preprocess-worker-it", "preprocessing"));
        List<Written> written = new ArrayList<>();
        for (Uploaded s : scans) {
            runTasks(running, s.scanId());
            written.add(write.apply(jobId, s));
            owner.tx().run(c -> {
                JobScan js = Jobs.scans(c, jobId).stream().filter(x -> x.scanId().equals(s.scanId())).findFirst()
                        .orElseThrow();
                JobScan r = Jobs.transitionScan(c, js, JobScanState.RUNNING, "preprocess-worker-it", null);
                return Jobs.transitionScan(c, r, JobScanState.SUCCEEDED, FUSION_WORKER, "fused");
            });
        }
        owner.tx().run(c -> Jobs.transition(c, Jobs.find(c, jobId).orElseThrow(), JobState.SUCCEEDED,
                FUSION_WORKER, "every scan fused"));
        return new Finished(jobId, set.id(), written);
    }

    private void runTasks(Job job, UUID scanId) {
        finishTask(owner.tx().run(c -> Tasks.create(c, NewTask.forScan(job, scanId, TaskKind.PREPROCESS), "it")),
                "preprocess-worker-it", "cpu", "{\"read_s\": 0.2, \"rotate_s\": 0.9}");
        for (Plane p : Plane.values()) {
            Task task = owner.tx().run(c -> Tasks.create(c, NewTask.forPlane(job, scanId, p), "it"));
            Task lost = owner.tx().run(c -> Tasks.claim(c, task.id(), LOST_GPU_WORKER, 60)).orElseThrow();
            // why: a lease that ran out (the sweeper's requeue) gives attempt 2 to another worker
            owner.tx().run(c -> Tasks.transition(c, lost, TaskState.PENDING, "lease-sweeper", "lease expired"));
            finishTask(task, GPU_WORKER, "cuda:0", "{\"infer_s\": 1.5}");
        }
        finishTask(owner.tx().run(c -> Tasks.create(c, NewTask.forScan(job, scanId, TaskKind.FUSION), "it")),
                FUSION_WORKER, "cpu", "{\"vote_s\": 0.3}");
    }

    private void finishTask(Task task, String worker, String device, String timings) {
        Task claimed = owner.tx().run(c -> Tasks.claim(c, task.id(), worker, 60)).orElseThrow();
        Task ran = owner.tx().run(c -> Tasks.recordRun(c, claimed, device, timings));
        owner.tx().run(c -> Tasks.transition(c, ran, TaskState.SUCCEEDED, worker, "done"));
    }

    private Written writeResult(UUID tenant, UUID jobId, UUID setId, Uploaded s, int seed) {
        try {
            Volume truth = NiftiReader.read(s.subject().labels());
            Volume ct = NiftiReader.read(s.subject().ct());
            double[] sp = truth.geometry().spacing();
            double voxelMl = sp[0] * sp[1] * sp[2] / 1000.0;
            Map<MetricPlane, long[][]> confusion = new EnumMap<>(MetricPlane.class);
            Volume fused = null;
            for (MetricPlane p : MetricPlane.values()) {
                Volume predicted = perturb(truth, seed * 10 + p.ordinal());
                confusion.put(p, count(truth, predicted));
                if (p == MetricPlane.FUSED) {
                    fused = predicted;
                }
            }
            String base = "tenants/" + tenant + "/jobs/" + jobId + "/scans/" + s.scanId() + "/";
            String acquired = fusedKey(tenant, jobId, s.scanId());
            String rotated = base + "fused-rotated.nii.gz";
            Path file = Files.createTempFile(dir, "fused-", ".nii.gz");
            NiftiWriter.write(fused, file);
            put(acquired, Files.readAllBytes(file));
            put(rotated, Files.readAllBytes(file));
            RegionStatisticsDocument regions = RegionStatisticsDocument.of(RegionStatistics.of(ct, fused), voxelMl);
            FusedResult result = new FusedResult(tenant, jobId, s.scanId(), setId, acquired, rotated,
                    json(ResultKeys.of(tenant, jobId, s.scanId()).toMap()),
                    "majority", json(regions), evaluation(confusion, voxelMl), null);
            List<ClassMetric> rows = new ArrayList<>();
            long total = truth.geometry().voxelCount();
            for (MetricPlane p : MetricPlane.values()) {
                long[][] m = confusion.get(p);
                for (int l = 0; l < CLASSES; l++) {
                    long tp = tp(m, l);
                    long fp = fp(m, l);
                    long fn = fn(m, l);
                    rows.add(ClassMetric.fromCounts(new ClassMetric.Key(tenant, jobId, s.scanId(), setId, p, l), tp, fp, fn,
                            total - tp - fp - fn, voxelMl));
                }
            }
            owner.tx().run(c -> {
                FusedResults.insertIfAbsent(c, result);
                Results.upsertClassMetrics(c, rows);
                return null;
            });
            return new Written(s.scanId(), confusion, voxelMl, acquired, fused);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(String key, byte[] bytes) {
        try {
            minio.putObject(PutObjectArgs.builder().bucket(StackConfig.BUCKET).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("application/gzip").build());
        } catch (Exception e) {
            throw new IllegalStateException("put " + key, e);
        }
    }

    /**
     * The reference labels with deterministic mistakes: about 8 % of labelled voxels given the
     * next region, 3 % the other side's twin, 2 % missed (background).
     */
    static Volume perturb(Volume truth, int seed) {
        Volume out = Volume.allocate(truth.geometry(), DataType.UINT8);
        int n = truth.voxels().length();
        for (int i = 0; i < n; i++) {
            int l = (int) truth.voxels().get(i);
            long h = ((i * 2654435761L) ^ (seed * 40503L + 17)) & 0x7fffffffL;
            int bucket = (int) ((h >>> 5) % 100);
            if (l > 0 && bucket < 8) {
                l = l % 20 + 1;
            } else if (l > 0 && bucket < 11) {
                l = AspectsRegion.swapSide(l);
            } else if (l > 0 && bucket < 13) {
                l = 0;
            }
            out.voxels().set(i, l);
        }
        return out;
    }

    /** @return counts, rows reference label, columns predicted label */
    public static long[][] count(Volume reference, Volume predicted) {
        long[][] m = new long[CLASSES][CLASSES];
        for (int i = 0; i < reference.voxels().length(); i++) {
            m[(int) reference.voxels().get(i)][(int) predicted.voxels().get(i)]++;
        }
        return m;
    }

    /** @return true positives of {@code label} */
    public static long tp(long[][] m, int label) {
        return m[label][label];
    }

    /** @return false positives of {@code label}: predicted it, reference another */
    public static long fp(long[][] m, int label) {
        long s = 0;
        for (int r = 0; r < CLASSES; r++) {
            s += r == label ? 0 : m[r][label];
        }
        return s;
    }

    /** @return false negatives of {@code label}: reference it, predicted another */
    public static long fn(long[][] m, int label) {
        long s = 0;
        for (int c = 0; c < CLASSES; c++) {
            s += c == label ? 0 : m[label][c];
        }
        return s;
    }

    /** @return IoU of {@code label}, NaN when absent from both */
    public static double iou(long[][] m, int label) {
        long u = tp(m, label) + fp(m, label) + fn(m, label);
        return u == 0 ? Double.NaN : (double) tp(m, label) / u;
    }

    private String json(Object document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(document.getClass().getSimpleName() + " not serialisable", e);
        }
    }

    /** The evaluation as the fusion-worker records it, from these counts. */
    private String evaluation(Map<MetricPlane, long[][]> confusion, double voxelMl) {
        Map<String, ConfusionMatrix> byPrediction = new LinkedHashMap<>();
        confusion.forEach((p, m) -> byPrediction.put(p.wireName(), ConfusionMatrix.of(m)));
        return json(EvaluationDocument.of(byPrediction, voxelMl));
    }

    /** Where these made-up results keep their fused labels. */
    private static String fusedKey(UUID tenant, UUID jobId, UUID scanId) {
        return "tenants/" + tenant + "/jobs/" + jobId + "/scans/" + scanId + "/fused-acquired.nii.gz";
    }
}
