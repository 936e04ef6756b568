package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.models.ModelSet;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.outbox.DeadLetters;
import org.triplane.db.results.MetricPlane;
import org.triplane.events.ObjectKeys;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.FinishedJobs;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Volume;

/**
 * Results, metrics (JSON and CSV), the audit document, result downloads, the job list by model set
 * and time, scans by CT checksum, and comparisons of jobs and model sets, on finished jobs written
 * the way the workers write them ({@link FinishedJobs}); every expected number is counted from the
 * label arrays here. Another tenant sees none of it.
 */
class ResultsAuditCompareIT {
    /** Predictions with metric rows per scan: the three planes, the atlas method and the fused one. */
    private static final int PREDICTIONS = MetricPlane.values().length;


    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    // why: RestAssured reads JSON decimals as float by default, too coarse for metric checks
    private static final JsonPathConfig PRECISE = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

    private static Api api;
    private static Api.Tenant tenant;
    private static Api.Tenant other;
    private static List<FinishedJobs.Uploaded> scans;
    private static ModelSet set1;
    private static ModelSet set2;
    private static ModelSet unused;
    private static UUID trainingJob;
    private static FinishedJobs.Finished job1;
    private static FinishedJobs.Finished job2;
    private static FinishedJobs.Finished job3;
    private static UUID submitted;

    @BeforeAll
    static void arrange() {
        api = new Api(env.gatewayUrl());
        Phantoms phantoms = Phantoms.write(dir.resolve("phantoms"));
        FinishedJobs jobs = new FinishedJobs(env, api, dir);
        tenant = api.createTenant("results-" + UUID.randomUUID());
        other = api.createTenant("results-other-" + UUID.randomUUID());
        // scan 3 is scan 2 uploaded again: the same CT checksum
        scans = List.of(jobs.upload(tenant, phantoms.subject(0)), jobs.upload(tenant, phantoms.subject(1)),
                jobs.upload(tenant, phantoms.subject(2)), jobs.upload(tenant, phantoms.subject(2)));
        trainingJob = UUID.randomUUID();
        set1 = jobs.modelSet(trainingJob, List.of(scans.get(0).scanId(), scans.get(1).scanId()));
        set2 = jobs.modelSet(UUID.randomUUID(), List.of(scans.get(1).scanId()));
        unused = jobs.modelSet(UUID.randomUUID(), List.of(scans.get(0).scanId()));
        job1 = jobs.finish(tenant, "job-1", scans.subList(0, 2), set1, 1);
        job2 = jobs.finish(tenant, "job-2", scans.subList(0, 2), set2, 2);
        job3 = jobs.finish(tenant, "job-3", List.of(scans.get(2)), set1, 3);
        submitted = jobs.submit(tenant, "job-4", List.of(scans.get(0)), set1);
    }

    private static Response get(Api.Tenant t, String path) {
        return api.request().header("X-Api-Key", t.apiKey()).get(path);
    }

    @Test
    void resultsListEachScanWithKeysFusionMethodRegionStatisticsAndEvaluationSummary() {
        JsonPath r = get(tenant, "/api/v1/jobs/" + job1.jobId() + "/results").then().statusCode(200).extract().jsonPath(PRECISE);
        assertThat(r.getBoolean("finalResults")).isTrue();
        assertThat(r.getString("state")).isEqualTo("SUCCEEDED");
        List<FinishedJobs.Written> written = job1.scans().stream()
                .sorted(java.util.Comparator.comparing(w -> w.scanId().toString())).toList(); // the database's uuid order
        assertThat(r.getList("scans.scanId")).containsExactly(written.get(0).scanId().toString(),
                written.get(1).scanId().toString());
        FinishedJobs.Written w = written.get(0);
        assertThat(r.getString("scans[0].objects.segmentation")).isEqualTo(w.segmentationKey());
        assertThat(r.getString("scans[0].objects.rotated-segmentation")).endsWith("fused-rotated.nii.gz");
        assertThat(r.getString("scans[0].objects.axial-confidence"))
                .isEqualTo(ObjectKeys.planeConfidence(tenant.id(), job1.jobId(), w.scanId(), Plane.AXIAL));
        assertThat(r.getString("scans[0].objects.'atlas-labels-acquired.ctbl'"))
                .isEqualTo(ObjectKeys.jobScanFolder(tenant.id(), job1.jobId(), w.scanId()) + "planes/atlas/labels-acquired.ctbl");
        assertThat(r.getString("scans[0].downloads.segmentation"))
                .isEqualTo("/api/v1/jobs/" + job1.jobId() + "/results/" + w.scanId() + "/objects/segmentation");
        assertThat(r.getString("scans[0].fusionMethod")).isEqualTo("majority");
        assertThat(r.getString("scans[0].modelSetId")).isEqualTo(set1.id().toString());
        long label7 = countLabel(w.fused(), 7);
        assertThat(r.getLong("scans[0].regionStatistics.regions[6].voxels")).isEqualTo(label7);
        assertThat(r.getDouble("scans[0].regionStatistics.regions[6].volumeMl")).isCloseTo(label7 * w.voxelMl(), within(1e-9));
        assertThat(r.getDouble("scans[0].evaluation.predictions.fused.meanIoU"))
                .isCloseTo(meanIoU(w.confusion().get(MetricPlane.FUSED)), within(1e-12));
        assertThat(r.getList("scans[0].evaluation.predictions.fused.confusion")).isNull();

        JsonPath full = get(tenant, "/api/v1/jobs/" + job1.jobId() + "/results?confusion=true").then().statusCode(200)
                .extract().jsonPath(PRECISE);
        List<List<Number>> confusion = full.getList("scans[0].evaluation.predictions.fused.confusion");
        assertThat(confusion).hasSize(21);
        assertThat(confusion.get(3).get(13).longValue()).isEqualTo(w.confusion().get(MetricPlane.FUSED)[3][13]);

        JsonPath none = get(tenant, "/api/v1/jobs/" + submitted + "/results").then().statusCode(200).extract().jsonPath(PRECISE);
        assertThat(none.getBoolean("finalResults")).isFalse();
        assertThat(none.getList("scans")).isEmpty();
    }

    @Test
    void resultObjectsDownloadAsStoredAndMissingOnesAre404NamingTheObject() throws Exception {
        FinishedJobs.Written w = job1.scans().get(0);
        String base = "/api/v1/jobs/" + job1.jobId() + "/results/" + w.scanId() + "/objects/";
        byte[] bytes = get(tenant, base + "segmentation").then().statusCode(200).extract().asByteArray();
        Path file = dir.resolve("downloaded-" + w.scanId() + ".nii.gz");
        Files.write(file, bytes);
        Volume downloaded = NiftiReader.read(file);
        for (int i = 0; i < downloaded.voxels().length(); i += 7) {
            assertThat(downloaded.voxels().get(i)).isEqualTo(w.fused().voxels().get(i));
        }
        Response notStored = get(tenant, base + "axial-labels");
        assertThat(notStored.statusCode()).isEqualTo(404);
        assertThat(notStored.<String>path("detail")).contains("not in the store");
        Response unknown = get(tenant, base + "nonsense");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.<String>path("part")).isEqualTo("name");
        assertThat(unknown.<String>path("detail")).contains("segmentation");
    }

    @Test
    void metricsFilterByPlaneClassAndScanAndComeAsCsv() {
        String path = "/api/v1/jobs/" + job1.jobId() + "/metrics";
        List<Map<String, Object>> all = get(tenant, path).then().statusCode(200).extract().jsonPath(PRECISE).getList("$");
        assertThat(all).hasSize(2 * PREDICTIONS * 21);

        List<Map<String, Object>> fused5 = get(tenant, path + "?plane=fused&class=5").then().statusCode(200).extract()
                .jsonPath(PRECISE).getList("$");
        assertThat(fused5).hasSize(2);
        for (Map<String, Object> row : fused5) {
            FinishedJobs.Written w = written(job1, UUID.fromString((String) row.get("scanId")));
            long[][] m = w.confusion().get(MetricPlane.FUSED);
            assertThat(row.get("plane")).isEqualTo("FUSED");
            assertThat(row.get("region")).isEqualTo("left M4");
            assertThat(((Number) row.get("tp")).longValue()).isEqualTo(m[5][5]);
            assertThat(((Number) row.get("iou")).doubleValue()).isCloseTo(FinishedJobs.iou(m, 5), within(1e-12));
            assertThat(((Number) row.get("predictedMl")).doubleValue())
                    .isCloseTo((FinishedJobs.tp(m, 5) + FinishedJobs.fp(m, 5)) * w.voxelMl(), within(1e-9));
        }
        UUID scan = job1.scans().get(1).scanId();
        assertThat(get(tenant, path + "?scanId=" + scan).jsonPath().getList("scanId")).hasSize(PREDICTIONS * 21)
                .allMatch(s -> s.equals(scan.toString()));

        assertThat(get(tenant, path + "?plane=diagonal").then().statusCode(400).extract().<String>path("part")).isEqualTo("plane");
        assertThat(get(tenant, path + "?class=21").then().statusCode(400).extract().<String>path("part")).isEqualTo("class");
        assertThat(get(tenant, path + "?scanId=x").then().statusCode(400).extract().<String>path("part")).isEqualTo("scanId");

        Response csv = api.request().header("X-Api-Key", tenant.apiKey()).header("Accept", "text/csv")
                .get(path + "?plane=axial&class=12");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.asString().lines().toList();
        assertThat(lines.get(0)).startsWith("scanId,modelSetId,plane,classLabel,region,tp,fp,fn,tn,iou,dice");
        assertThat(lines).hasSize(3);
        for (String line : lines.subList(1, 3)) {
            String[] f = line.split(",", -1);
            long[][] m = written(job1, UUID.fromString(f[0])).confusion().get(MetricPlane.AXIAL);
            assertThat(f[2]).isEqualTo("AXIAL");
            assertThat(Long.parseLong(f[5])).isEqualTo(m[12][12]);
            assertThat(Double.parseDouble(f[9])).isCloseTo(FinishedJobs.iou(m, 12), within(1e-12));
        }
        String byFormat = get(tenant, path + "?format=csv&plane=fused").asString();
        assertThat(byFormat.lines().count()).isEqualTo(1 + 2 * 21);
    }

    @Test
    void theAuditDocumentAnswersWhoWhatWhenInputsModelsTransitionsTimingsAndResults() {
        JsonPath a = get(tenant, "/api/v1/jobs/" + job1.jobId() + "/audit").then().statusCode(200).extract().jsonPath(PRECISE);
        assertThat(a.getString("job.requestedBy")).startsWith("api-key:");
        assertThat(a.getString("job.kind")).isEqualTo("EVALUATE");
        assertThat(a.getString("job.codeVersion")).isNotBlank();
        assertThat(a.getString("job.createdAt")).isNotBlank();
        assertThat(a.getList("scans")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            String scanId = a.getString("scans[" + i + "].scan.id");
            FinishedJobs.Uploaded u = scans.stream().filter(s -> s.scanId().toString().equals(scanId)).findFirst().orElseThrow();
            JsonPath uploaded = get(tenant, "/api/v1/scans/" + scanId).jsonPath(PRECISE);
            assertThat(a.getString("scans[" + i + "].scan.ct.sha256")).isEqualTo(u.ctSha256());
            assertThat(a.getString("scans[" + i + "].scan.transform.sha256")).isEqualTo(uploaded.getString("transform.sha256"));
            assertThat(a.getList("scans[" + i + "].scan.rotation.eulerDeg")).hasSize(3)
                    .isEqualTo(uploaded.getList("rotation.eulerDeg"));
            assertThat(a.getDouble("scans[" + i + "].scan.window.lowHu")).isEqualTo(uploaded.getDouble("window.lowHu"));
            assertThat(a.getString("scans[" + i + "].stateInJob")).isEqualTo("SUCCEEDED");
        }
        assertThat(a.getString("modelSet.id")).isEqualTo(set1.id().toString());
        assertThat(a.getList("modelSet.models.plane")).containsExactly("AXIAL", "CORONAL", "SAGITTAL");
        assertThat(a.getList("modelSet.models.trainingJobId")).containsOnly(trainingJob.toString());
        assertThat(a.getList("modelSet.models[0].trainingScanIds"))
                .containsExactly(scans.get(0).scanId().toString(), scans.get(1).scanId().toString());
        assertThat(a.getInt("modelSet.models[0].hyperParameters.seed")).isEqualTo(42);
        assertThat(a.getDouble("modelSet.models[0].validationMetrics.meanIoU")).isEqualTo(0.55);

        List<Map<String, Object>> tasks = a.getList("tasks");
        assertThat(tasks).hasSize(2 * 5);
        assertThat(tasks.stream().filter(t -> "PLANE".equals(t.get("kind")))).hasSize(6).allSatisfy(t -> {
            assertThat(t.get("attempt")).isEqualTo(2);
            assertThat(t.get("worker")).isEqualTo(FinishedJobs.GPU_WORKER);
            assertThat(t.get("device")).isEqualTo("cuda:0");
            assertThat(((Number) ((Map<?, ?>) t.get("timings")).get("infer_s")).doubleValue()).isEqualTo(1.5);
        });
        List<Map<String, Object>> log = a.getList("transitions");
        assertThat(log).anySatisfy(t -> {
            assertThat(t.get("entity")).isEqualTo("TASK");
            assertThat(t.get("to")).isEqualTo("RUNNING");
            assertThat(t.get("actor")).isEqualTo(FinishedJobs.LOST_GPU_WORKER);
            assertThat(t.get("attempt")).isEqualTo(1);
        });
        assertThat(log).anySatisfy(t -> {
            assertThat(t.get("actor")).isEqualTo(FinishedJobs.GPU_WORKER);
            assertThat(t.get("attempt")).isEqualTo(2);
        });
        assertThat(log).anySatisfy(t -> {
            assertThat(t.get("entity")).isEqualTo("JOB");
            assertThat(t.get("to")).isEqualTo("SUCCEEDED");
            assertThat(t.get("actor")).isEqualTo(FinishedJobs.FUSION_WORKER);
            assertThat(t.get("at")).isNotNull();
        });
        assertThat(a.getList("results")).hasSize(2);
        List<Map<String, Object>> metrics = a.getList("metrics");
        assertThat(metrics).hasSize(2 * PREDICTIONS);
        for (Map<String, Object> m : metrics) {
            if ("FUSED".equals(m.get("plane"))) {
                FinishedJobs.Written w = written(job1, UUID.fromString((String) m.get("scanId")));
                assertThat(((Number) m.get("meanIoU")).doubleValue())
                        .isCloseTo(meanIoU(w.confusion().get(MetricPlane.FUSED)), within(1e-9));
            }
        }
        assertThat(a.getString("links.metrics")).isEqualTo("/api/v1/jobs/" + job1.jobId() + "/metrics");
    }

    @Test
    void theJobListFiltersByModelSetModelStateKindAndTimeInTheDatabase() {
        assertThat(ids("?modelSetId=" + set2.id())).containsExactly(job2.jobId().toString());
        JsonPath set1Models = get(tenant, "/api/v1/models/" + set1.id()).jsonPath();
        String modelId = set1Models.getString("models[1].id");
        assertThat(ids("?modelId=" + modelId)).containsExactlyInAnyOrder(job1.jobId().toString(), job3.jobId().toString(),
                submitted.toString());
        assertThat(ids("?modelSetId=" + set1.id() + "&state=succeeded")).containsExactly(job3.jobId().toString(),
                job1.jobId().toString());
        assertThat(ids("?modelSetId=" + set1.id() + "&state=submitted&kind=evaluate")).containsExactly(submitted.toString());
        assertThat(ids("?modelSetId=" + set1.id() + "&kind=train")).isEmpty();
        String job2Created = get(tenant, "/api/v1/jobs/" + job2.jobId()).jsonPath().getString("createdAt");
        assertThat(ids("?from=" + job2Created + "&modelSetId=" + set2.id())).containsExactly(job2.jobId().toString());
        assertThat(ids("?to=" + job2Created + "&modelSetId=" + set2.id())).isEmpty();
        assertThat(ids("?modelSetId=" + unused.id())).isEmpty();
        assertThat(get(tenant, "/api/v1/jobs?modelSetId=nope").then().statusCode(400).extract().<String>path("part"))
                .isEqualTo("modelSetId");
        assertThat(get(other, "/api/v1/jobs?modelSetId=" + set1.id()).jsonPath().getList("id")).isEmpty();
    }

    @Test
    void scansAreFoundByCtChecksumWithinTheTenantOnly() {
        String sha = scans.get(2).ctSha256();
        assertThat(get(tenant, "/api/v1/scans?ctSha256=" + sha).jsonPath().getList("id"))
                .containsExactlyInAnyOrder(scans.get(2).scanId().toString(), scans.get(3).scanId().toString());
        assertThat(get(tenant, "/api/v1/scans?ctSha256=" + sha.toUpperCase()).jsonPath().getList("id")).hasSize(2);
        assertThat(get(tenant, "/api/v1/scans?ctSha256=" + "0".repeat(64)).jsonPath().getList("id")).isEmpty();
        assertThat(get(other, "/api/v1/scans?ctSha256=" + sha).jsonPath().getList("id")).isEmpty();
        assertThat(get(tenant, "/api/v1/scans?ctSha256=abc").then().statusCode(400).extract().<String>path("part"))
                .isEqualTo("ctSha256");
        assertThat(get(tenant, "/api/v1/scans?limit=2").jsonPath().getList("id")).hasSize(2);
    }

    @Test
    void twoJobsOnTheSameScansCompareClassByClassAndJobsWithoutACommonScanAre409() {
        JsonPath c = get(tenant, "/api/v1/compare/jobs?a=" + job1.jobId() + "&b=" + job2.jobId()).then().statusCode(200)
                .extract().jsonPath(PRECISE);
        assertThat(c.getList("commonScans.scanId")).containsExactlyInAnyOrder(scans.get(0).scanId().toString(),
                scans.get(1).scanId().toString());
        assertThat(c.getString("a.modelSetId")).isEqualTo(set1.id().toString());
        assertThat(c.getList("metrics")).hasSize(PREDICTIONS * 21);
        assertDelta(c, job1, job2, MetricPlane.FUSED, 5);
        assertDelta(c, job1, job2, MetricPlane.SAGITTAL, 17);
        assertThat(c.getList("summary.plane")).containsExactly("AXIAL", "CORONAL", "SAGITTAL", "ATLAS", "FUSED");

        Response none = get(tenant, "/api/v1/compare/jobs?a=" + job1.jobId() + "&b=" + job3.jobId());
        assertThat(none.statusCode()).isEqualTo(409);
        assertThat(none.<String>path("detail")).contains("share no scan");
        assertThat(get(tenant, "/api/v1/compare/jobs?a=" + job1.jobId()).then().statusCode(400).extract().<String>path("part"))
                .isEqualTo("b");
        assertThat(get(other, "/api/v1/compare/jobs?a=" + job1.jobId() + "&b=" + job2.jobId()).then().statusCode(404)
                .extract().<String>path("part")).isEqualTo("a");
    }

    @Test
    void twoModelSetsCompareOnTheScansBothWereEvaluatedOnByFinishedJobs() {
        JsonPath c = get(tenant, "/api/v1/compare/model-sets?a=" + set1.id() + "&b=" + set2.id()).then().statusCode(200)
                .extract().jsonPath(PRECISE);
        // set 1 also ran on scan 2 (job 3), set 2 did not; the submitted job of set 1 has not finished
        assertThat(c.getList("commonScans.scanId")).containsExactlyInAnyOrder(scans.get(0).scanId().toString(),
                scans.get(1).scanId().toString());
        assertThat(c.getList("commonScans.jobA")).containsOnly(job1.jobId().toString());
        assertThat(c.getList("commonScans.jobB")).containsOnly(job2.jobId().toString());
        assertThat(c.getString("a.name")).isEqualTo(set1.name());
        assertDelta(c, job1, job2, MetricPlane.FUSED, 5);

        Response none = get(tenant, "/api/v1/compare/model-sets?a=" + set1.id() + "&b=" + unused.id());
        assertThat(none.statusCode()).isEqualTo(409);
        assertThat(get(tenant, "/api/v1/compare/model-sets?a=" + set1.id() + "&b=" + UUID.randomUUID()).statusCode())
                .isEqualTo(404);
        // another tenant has no finished jobs of these sets
        assertThat(get(other, "/api/v1/compare/model-sets?a=" + set1.id() + "&b=" + set2.id()).statusCode()).isEqualTo(409);
    }

    @Test
    void theAuditShowsTheJobsDeadLettersToItsTenantOnly() {
        UUID scan = scans.get(0).scanId();
        String reason = "scan " + scan + ": CT has SHA-256 " + "a".repeat(64) + " but the scan record says " + "b".repeat(64);
        java.time.Instant at = java.time.Instant.parse("2024-05-06T07:08:09Z");
        UUID task = UUID.randomUUID();
        env.owner().tx().run(c -> DeadLetters.record(c, new DeadLetter("preprocess-worker", "preprocess@it", reason,
                null, -1, -1, tenant.id(), submitted, scan, task, null, at)));
        // why: a letter whose message claimed another tenant for this job id; row-level security keeps it out
        env.owner().tx().run(c -> DeadLetters.record(c, new DeadLetter("fusion-worker", "fusion@it", "not yours",
                "triplane.plane-results", 0, 7, other.id(), submitted, null, null, "{}", at)));

        JsonPath a = get(tenant, "/api/v1/jobs/" + submitted + "/audit").then().statusCode(200).extract().jsonPath();

        assertThat(a.getList("deadLetters")).hasSize(1);
        assertThat(a.getString("deadLetters[0].reason")).isEqualTo(reason);
        assertThat(a.getString("deadLetters[0].consumer")).isEqualTo("preprocess-worker");
        assertThat(a.getString("deadLetters[0].workerId")).isEqualTo("preprocess@it");
        assertThat(a.getString("deadLetters[0].taskId")).isEqualTo(task.toString());
        assertThat(a.getString("deadLetters[0].scanId")).isEqualTo(scan.toString());
        assertThat(a.getString("deadLetters[0].sourceTopic")).isNull();
        assertThat(a.getString("deadLetters[0].partition")).isNull();
        assertThat(a.getString("deadLetters[0].failedAt")).isEqualTo("2024-05-06T07:08:09Z");
        JsonPath finished = get(tenant, "/api/v1/jobs/" + job1.jobId() + "/audit").then().statusCode(200).extract().jsonPath();
        assertThat(finished.getList("deadLetters")).isEmpty();
    }

    @Test
    void anotherTenantGets404ForEveryReadOfTheJob() {
        String job = "/api/v1/jobs/" + job1.jobId();
        UUID scan = job1.scans().get(0).scanId();
        for (String path : List.of(job + "/results", job + "/metrics", job + "/metrics?format=csv", job + "/audit",
                job + "/report", job + "/report/link", job + "/results/" + scan + "/objects/segmentation")) {
            Response r = get(other, path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
        }
        assertThat(api.request().get(job + "/audit").statusCode()).isEqualTo(401);
    }

    private static void assertDelta(JsonPath c, FinishedJobs.Finished a, FinishedJobs.Finished b, MetricPlane plane,
                                    int label) {
        Map<String, Object> row = c.<Map<String, Object>>getList("metrics").stream()
                .filter(m -> plane.name().equals(m.get("plane")) && ((Number) m.get("classLabel")).intValue() == label)
                .findFirst().orElseThrow();
        double meanA = (FinishedJobs.iou(a.scans().get(0).confusion().get(plane), label)
                + FinishedJobs.iou(a.scans().get(1).confusion().get(plane), label)) / 2;
        double meanB = (FinishedJobs.iou(b.scans().get(0).confusion().get(plane), label)
                + FinishedJobs.iou(b.scans().get(1).confusion().get(plane), label)) / 2;
        Map<?, ?> iou = (Map<?, ?>) row.get("iou");
        assertThat(((Number) iou.get("a")).doubleValue()).isCloseTo(meanA, within(1e-12));
        assertThat(((Number) iou.get("b")).doubleValue()).isCloseTo(meanB, within(1e-12));
        assertThat(((Number) iou.get("delta")).doubleValue()).isCloseTo(meanB - meanA, within(1e-12));
        assertThat(((Number) iou.get("scans")).intValue()).isEqualTo(2);
        assertThat(meanB - meanA).as("the perturbations differ, so must the runs").isNotZero();
    }

    private static List<String> ids(String query) {
        return get(tenant, "/api/v1/jobs" + query).then().statusCode(200).extract().jsonPath(PRECISE).getList("id");
    }

    private static FinishedJobs.Written written(FinishedJobs.Finished job, UUID scan) {
        return job.scans().stream().filter(w -> w.scanId().equals(scan)).findFirst().orElseThrow();
    }

    private static long countLabel(Volume v, int label) {
        long n = 0;
        for (int i = 0; i < v.voxels().length(); i++) {
            n += v.voxels().get(i) == label ? 1 : 0;
        }
        return n;
    }

    private static double meanIoU(long[][] m) {
        return IntStream.rangeClosed(1, 20).mapToDouble(l -> FinishedJobs.iou(m, l)).filter(x -> !Double.isNaN(x))
                .average().orElseThrow();
    }
}
