package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job commands' contract against a stand-in gateway: output, messages and exit codes. */
class JobCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();
    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    private int run(String... args) {
        return streams.run(args);
    }

    private int runOnGateway(String... args) {
        return streams.run(gateway.connected(args));
    }

    private String stdout() {
        return streams.out();
    }

    private String stderr() {
        return streams.err();
    }

    private Path folder(int count) throws IOException {
        Path d = Files.createDirectories(dir.resolve("scans"));
        for (int i = 1; i <= count; i++) {
            Files.writeString(d.resolve(i + ".nii.gz"), "ct " + i);
            Files.writeString(d.resolve(i + ".txt"), "transform " + i);
        }
        return d;
    }

    @Test
    void submitPrintsTheJobIdAndWithJsonEachScanAndARerunReusesEverything() throws Exception {
        Path d = folder(3);
        assertEquals(0, runOnGateway("submit", d.toString(), "--json", "--parallel", "3"), stderr());
        JsonNode first = JSON.readTree(stdout());
        assertEquals(3, first.get("scans").size());
        for (JsonNode s : first.get("scans")) {
            assertEquals("uploaded", s.get("status").asText());
        }
        assertEquals(List.of("1.nii.gz", "2.nii.gz", "3.nii.gz"),
                List.of(first.get("scans").get(0).get("file").asText(), first.get("scans").get(1).get("file").asText(),
                        first.get("scans").get(2).get("file").asText()));
        assertTrue(stderr().contains("3/3"), stderr());

        assertEquals(0, runOnGateway("submit", d.toString()), stderr());
        assertEquals(first.get("jobId").asText(), stdout().strip(), "plain output is the job id alone");
        assertTrue(stderr().contains("earlier run"), stderr());
        assertEquals(3, gateway.uploads.get());
        assertEquals(1, gateway.jobsByKey.size());
    }

    @Test
    void submitSendsKindParametersAndModelSet() throws Exception {
        Path d = folder(1);
        UUID set = UUID.randomUUID();
        assertEquals(0, runOnGateway("submit", d.toString(), "--kind", "evaluate", "--model-set", set.toString(),
                "--param", "fusion=confidence", "--param", "fusionAtlasVoter=true"), stderr());
        JsonNode request = JSON.readTree(gateway.requestByKey.values().iterator().next());
        assertEquals("evaluate", request.get("kind").asText());
        assertEquals(set.toString(), request.get("modelSetId").asText());
        assertEquals("confidence", request.get("parameters").get("fusion").asText());
        assertTrue(request.get("parameters").get("fusionAtlasVoter").isBoolean(), request.toString());
    }

    @Test
    void badInputIsExitTwoBeforeAnyGatewayIsContacted() throws Exception {
        Path d = folder(1);
        Files.writeString(d.resolve("4.txt"), "a transform without its CT");
        assertEquals(2, run("submit", d.toString(), "--gateway", "http://127.0.0.1:9", "--api-key", "k"));
        assertTrue(stderr().contains("4.txt") && stderr().contains("4.nii.gz"), stderr());
        Files.delete(d.resolve("4.txt"));
        assertEquals(2, run("submit", folder(1).toString(), "--kind", "classify", "--gateway", "http://127.0.0.1:9"));
        assertTrue(stderr().contains("--kind classify"), stderr());
        assertEquals(2, run("submit", d.toString(), "--no-such-option"));
        assertEquals(2, run("jobs", "--state", "done", "--gateway", "http://127.0.0.1:9", "--api-key", "k"));
        assertEquals(2, run("jobs", "--from", "yesterday", "--gateway", "http://127.0.0.1:9", "--api-key", "k"));
    }

    @Test
    void anUnreachableGatewayIsExitFourNamingIt() throws Exception {
        assertEquals(4, run("submit", folder(1).toString(), "--gateway", "http://127.0.0.1:9", "--api-key", "k"));
        assertTrue(stderr().contains("http://127.0.0.1:9") && stderr().contains("stack up"), stderr());
        assertEquals(4, run("jobs", "--gateway", "http://127.0.0.1:9", "--api-key", "k"));
    }

    @Test
    void aRefusedKeyIsExitThreeWithTheGatewaysWords() throws Exception {
        assertEquals(3, run("jobs", "--gateway", gateway.url(), "--api-key", "wrong"));
        assertTrue(stderr().contains("401") && stderr().contains("missing or unknown API key")
                && stderr().contains("--api-key"), stderr());
    }

    @Test
    void watchEndsWithTheJobZeroOnSuccessOneOnFailureThreeForAnUnknownJob() throws Exception {
        UUID ok = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        gateway.extra.put("/api/v1/jobs/" + ok, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","kind":"SEGMENT","state":"SUCCEEDED","scans":[{"scanId":"%s","state":"SUCCEEDED"}],
                 "tasks":[{"scanId":"%s","kind":"PREPROCESS","plane":null,"state":"SUCCEEDED","attempt":1},
                          {"scanId":"%s","kind":"PLANE","plane":"AXIAL","state":"SUCCEEDED","attempt":2}]}
                """.formatted(ok, scan, scan, scan))));
        gateway.extra.put("/api/v1/scans/" + scan, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","transformOrigin":"derived","registration":{"method":"atlas-affine-ncc","quality":0.98712}}
                """.formatted(scan))));
        assertEquals(0, runOnGateway("watch", ok.toString(), "--interval", "0.05"), stderr());
        assertTrue(stdout().contains(scan.toString()) && stdout().contains("SUCCEEDED #2"), stdout());
        assertTrue(stdout().contains("5/5 tasks"), stdout());
        assertTrue(stdout().contains("scan " + scan + ": transform derived from the atlas registration "
                + "(atlas-affine-ncc, quality 0.987)"), stdout());

        UUID bad = UUID.randomUUID();
        gateway.extra.put("/api/v1/jobs/" + bad, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","kind":"SEGMENT","state":"FAILED","error":"scan failed","scans":[{"scanId":"%s","state":"FAILED"}],
                 "tasks":[{"scanId":"%s","kind":"PREPROCESS","plane":null,"state":"FAILED","attempt":3,"error":"bad transform"}]}
                """.formatted(bad, scan, scan))));
        assertEquals(1, runOnGateway("watch", bad.toString(), "--interval", "0.05"));
        assertTrue(stderr().contains("FAILED") && stderr().contains("bad transform") && stderr().contains("scan failed"), stderr());

        UUID unknown = UUID.randomUUID();
        gateway.extra.put("/api/v1/jobs/" + unknown, new FakeGateway.Answer(404, "application/json",
                FakeGateway.error("id", "job " + unknown + " not found")));
        assertEquals(3, runOnGateway("watch", unknown.toString()));
        assertTrue(stderr().contains("job " + unknown + " not found"), stderr());
    }

    @Test
    void jobsFiltersByModelSetAndPrintsJsonOrATable() throws Exception {
        UUID set = UUID.randomUUID();
        gateway.extra.put("/api/v1/jobs", FakeGateway.Answer.json(JSON.readTree("""
                [{"id":"%s","kind":"SEGMENT","state":"RUNNING","modelSetId":"%s","createdAt":"2026-01-02T00:00:00Z"},
                 {"id":"%s","kind":"TRAIN","state":"FAILED","modelSetId":null,"createdAt":"2026-01-01T00:00:00Z","error":"x"}]
                """.formatted(UUID.randomUUID(), set, UUID.randomUUID()))));
        assertEquals(0, runOnGateway("jobs", "--json"), stderr());
        assertEquals(2, JSON.readTree(stdout()).size());
        assertEquals(0, runOnGateway("jobs", "--model-set", set.toString(), "--json"), stderr());
        assertEquals(1, JSON.readTree(stdout()).size());
        assertEquals(0, runOnGateway("jobs", "--state", "running"), stderr());
        assertTrue(stdout().startsWith("job") && stdout().contains("RUNNING") && stdout().contains("TRAIN"), stdout());
    }

    @Test
    void jobsFollowsTheListsPagesUpToTheLimit() throws Exception {
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        gateway.extra.put("/api/v1/jobs?limit=3", FakeGateway.Answer.json(JSON.readTree("""
                [{"id":"%s","state":"RUNNING"},{"id":"%s","state":"RUNNING"}]""".formatted(ids.get(0), ids.get(1))))
                .withNext("/api/v1/jobs?limit=3&cursor=second"));
        gateway.extra.put("/api/v1/jobs?limit=3&cursor=second", FakeGateway.Answer.json(JSON.readTree("""
                [{"id":"%s","state":"FAILED"},{"id":"%s","state":"FAILED"}]""".formatted(ids.get(2), ids.get(3)))));

        assertEquals(0, runOnGateway("jobs", "--limit", "3", "--json"), stderr());

        List<String> listed = new java.util.ArrayList<>();
        JSON.readTree(stdout()).forEach(j -> listed.add(j.path("id").asText()));
        assertEquals(ids.subList(0, 3).stream().map(UUID::toString).toList(), listed);
    }

    @Test
    void jobsCancelPrintsTheStateAndARefusalIsExitThreeWithTheProblemsDetail() throws Exception {
        UUID job = UUID.randomUUID();
        gateway.extra.put("/api/v1/jobs/" + job + "/cancel", FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","state":"CANCELLED"}""".formatted(job))));
        assertEquals(0, runOnGateway("jobs", "cancel", job.toString()), stderr());
        assertEquals("job " + job + " CANCELLED", stdout().strip());
        assertTrue(gateway.received.containsKey("POST /api/v1/jobs/" + job + "/cancel"), gateway.received.keySet().toString());

        UUID done = UUID.randomUUID();
        gateway.extra.put("/api/v1/jobs/" + done + "/cancel", new FakeGateway.Answer(409, FakeGateway.PROBLEM,
                FakeGateway.error("id", "job " + done + " has SUCCEEDED: only a SUBMITTED or RUNNING job can be cancelled")));
        assertEquals(3, runOnGateway("jobs", "cancel", done.toString()));
        assertTrue(stderr().contains("(409): id: job " + done + " has SUCCEEDED"), stderr());
    }

    @Test
    void scansDeleteSendsTheDeleteAndSummarisesTheRecord() throws Exception {
        UUID scan = UUID.randomUUID();
        gateway.extra.put("/api/v1/scans/" + scan, FakeGateway.Answer.json(JSON.readTree("""
                {"scanId":"%s","deletedAt":"2026-12-05T09:00:00Z","deletedBy":"api-key:abc",
                 "objects":[{"key":"a","sha256":"%s","bytes":1},{"key":"b","sha256":"%s","bytes":2}]}
                """.formatted(scan, "0".repeat(64), "1".repeat(64)))));
        assertEquals(0, runOnGateway("scans", "delete", scan.toString()), stderr());
        assertTrue(gateway.received.containsKey("DELETE /api/v1/scans/" + scan), gateway.received.keySet().toString());
        assertEquals("scan " + scan + " deleted: 2 objects removed, recorded as deleted by api-key:abc at "
                + "2026-12-05T09:00:00Z", stdout().strip());
    }

    @Test
    void modelsShowsTheValidationMeanIou() throws Exception {
        gateway.extra.put("/api/v1/models", FakeGateway.Answer.json(JSON.readTree("""
                [{"id":"%s","modelSetId":"%s","plane":"CORONAL","architecture":"unet",
                  "validationMetrics":{"meanIoU":0.61234},"createdAt":"2026-01-02T00:00:00Z"}]
                """.formatted(UUID.randomUUID(), UUID.randomUUID()))));
        assertEquals(0, runOnGateway("models"), stderr());
        assertTrue(stdout().contains("CORONAL") && stdout().contains("0.612") && stdout().contains("unet"), stdout());
    }

    @Test
    void modelsShowsTheFoldOfAKFoldTrainingsModels() throws Exception {
        gateway.extra.put("/api/v1/models", FakeGateway.Answer.json(JSON.readTree("""
                [{"id":"%s","modelSetId":"%s","plane":"AXIAL","architecture":"unet","fold":2,"foldCount":3,
                  "validationMetrics":{"meanIoU":0.5},"createdAt":"2026-01-02T00:00:00Z"},
                 {"id":"%s","modelSetId":"%s","plane":"AXIAL","architecture":"unet","fold":null,"foldCount":null,
                  "validationMetrics":{"meanIoU":0.4},"createdAt":"2026-01-01T00:00:00Z"}]
                """.formatted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()))));
        assertEquals(0, runOnGateway("models"), stderr());
        String[] lines = stdout().split("\n");
        assertTrue(lines[0].contains("fold"), stdout());
        assertTrue(lines[1].contains(" 2/3 ") && lines[1].contains("0.500"), stdout());
        assertFalse(lines[2].contains("/3"), stdout());
    }

    @Test
    void watchShowsEachFoldsTrainingAndTheCrossValidation() throws Exception {
        UUID job = UUID.randomUUID();
        UUID scan1 = UUID.randomUUID();
        UUID scan2 = UUID.randomUUID();
        StringBuilder tasks = new StringBuilder();
        StringBuilder training = new StringBuilder();
        for (String plane : List.of("AXIAL", "CORONAL", "SAGITTAL")) {
            for (int fold = 1; fold <= 2; fold++) {
                tasks.append(",{\"kind\":\"TRAIN\",\"plane\":\"").append(plane).append("\",\"fold\":").append(fold)
                        .append(",\"state\":\"SUCCEEDED\",\"attempt\":1}");
                training.append(training.isEmpty() ? "" : ",").append("{\"plane\":\"").append(plane).append("\",\"fold\":")
                        .append(fold).append(",\"epochs\":[{\"epoch\":1,\"validationMeanIou\":0.").append(fold).append("}]}");
            }
        }
        gateway.extra.put("/api/v1/jobs/" + job, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","kind":"TRAIN","state":"SUCCEEDED","parameters":{"folds":2},
                 "scans":[{"scanId":"%s","state":"SUCCEEDED"},{"scanId":"%s","state":"SUCCEEDED"}],
                 "tasks":[{"scanId":"%s","kind":"PREPROCESS","state":"SUCCEEDED","attempt":1},
                          {"scanId":"%s","kind":"PREPROCESS","state":"SUCCEEDED","attempt":1}%s]}
                """.formatted(job, scan1, scan2, scan1, scan2, tasks))));
        gateway.extra.put("/api/v1/jobs/" + job + "/training", FakeGateway.Answer.json(JSON.readTree("""
                {"jobId":"%s","tasks":[%s],"crossValidation":{"folds":2,"planes":[
                  {"plane":"AXIAL","mean":0.15,"sd":0.0707},{"plane":"CORONAL","mean":null,"sd":null}]}}
                """.formatted(job, training))));

        assertEquals(0, runOnGateway("watch", job.toString(), "--interval", "0.05"), stderr());
        String o = stdout();
        // 2 preprocess tasks + 3 planes x 2 folds
        assertTrue(o.contains("8/8 tasks"), o);
        assertTrue(o.contains("training axial fold 1/2") && o.contains("training sagittal fold 2/2"), o);
        assertTrue(o.contains("epoch 1, validation mean IoU 0.200"), o);
        assertTrue(o.contains("cross-validation axial") && o.contains("0.150 ± 0.071"), o);
        assertFalse(o.contains("cross-validation coronal"), o);
    }

    @Test
    void fetchWritesOutputsInBothSpacesMetricsAndReport() throws Exception {
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        finishedJob(job, scan);
        String base = "/api/v1/jobs/" + job + "/scans/" + scan + "/objects/";
        gateway.extra.put("/api/v1/jobs/" + job + "/results", FakeGateway.Answer.json(JSON.readTree("""
                {"jobId":"%s","scans":[{"scanId":"%s","segmentationKey":"tenants/x/fused/labels-acquired.nii.gz",
                  "downloads":{"acquired":"%slabels-acquired","rotated":"%slabels-rotated"}}]}
                """.formatted(job, scan, base, base))));
        byte[] acquired = gzip("acquired labels");
        byte[] rotated = gzip("rotated labels");
        gateway.extra.put(base + "labels-acquired", new FakeGateway.Answer(200, "application/octet-stream", acquired));
        gateway.extra.put(base + "labels-rotated", new FakeGateway.Answer(200, "application/octet-stream", rotated));
        gateway.extra.put("/api/v1/jobs/" + job + "/metrics?format=csv", FakeGateway.Answer.text("text/csv", "prediction,class,iou\nFUSED,1,0.5\n"));
        gateway.extra.put("/api/v1/jobs/" + job + "/metrics", FakeGateway.Answer.json(List.of(Map.of("class", 1, "iou", 0.5))));
        gateway.extra.put("/api/v1/jobs/" + job + "/report", FakeGateway.Answer.text("text/html", "<html>report</html>"));
        gateway.extra.put("/api/v1/scans/" + scan, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","transform":{"key":"tenants/x/scans/%s/registration/transform.txt"},"transformOrigin":"derived",
                 "registration":{"method":"atlas-affine-ncc","quality":0.987}}
                """.formatted(scan, scan))));
        byte[] transform = "#Insight Transform File V1.0\n".getBytes(StandardCharsets.UTF_8);
        gateway.extra.put("/api/v1/scans/" + scan + "/objects/transform",
                new FakeGateway.Answer(200, "application/octet-stream", transform));
        Path target = dir.resolve("out");

        assertEquals(0, runOnGateway("fetch", job.toString(), "--out", target.toString(), "--json"), stderr());
        Path scanDir = target.resolve("scans").resolve(scan.toString());
        assertArrayEquals(transform, Files.readAllBytes(scanDir.resolve("transform.txt")));
        assertTrue(Files.readString(scanDir.resolve("scan.json")).contains("\"transformOrigin\" : \"derived\""));
        assertTrue(stderr().contains("transform (derived)"), stderr());
        assertArrayEquals(acquired, Files.readAllBytes(scanDir.resolve("labels-acquired.nii.gz")));
        assertArrayEquals(rotated, Files.readAllBytes(scanDir.resolve("labels-rotated.nii.gz")));
        assertEquals("prediction,class,iou\nFUSED,1,0.5\n", Files.readString(target.resolve("metrics.csv")));
        assertEquals(0.5, JSON.readTree(target.resolve("metrics.json").toFile()).get(0).get("iou").asDouble());
        assertEquals("<html>report</html>", Files.readString(target.resolve("report.html")));
        assertEquals(job.toString(), JSON.readTree(target.resolve("job.json").toFile()).get("id").asText());
        JsonNode summary = JSON.readTree(stdout());
        assertEquals(0, summary.get("missing").size(), summary.toString());
        assertEquals(9, summary.get("files").size(), summary.toString());
    }

    @Test
    void fetchWritesNothingOutsideItsFolderWhateverNamesTheGatewayAnswers() throws Exception {
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        Path target = dir.resolve("deep").resolve("out");
        Path absolute = dir.resolve("absolute");
        gateway.extra.put("/api/v1/jobs/" + job, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","kind":"EVALUATE","state":"SUCCEEDED","tasks":[],
                 "scans":[{"scanId":"../../escaped","state":"SUCCEEDED"},{"scanId":"%s","state":"SUCCEEDED"}]}
                """.formatted(job, scan))));
        String base = "/api/v1/jobs/" + job + "/objects/";
        gateway.extra.put("/api/v1/jobs/" + job + "/results", FakeGateway.Answer.json(JSON.readTree("""
                {"scans":[{"scanId":"../../escaped","downloads":{"acquired":"%sa"}},
                          {"scanId":"%s","downloads":{"acquired":"%sb"}},
                          {"scanId":"%s","downloads":{"rotated":"%s..%%2F..%%2Fescaped-file"}}]}
                """.formatted(base, absolute, base, scan, base))));
        for (String name : List.of("a", "b", "..%2F..%2Fescaped-file")) {
            gateway.extra.put(base + name, new FakeGateway.Answer(200, "application/octet-stream", gzip("payload")));
        }

        assertEquals(1, runOnGateway("fetch", job.toString(), "--out", target.toString()), stderr());
        assertFalse(Files.exists(dir.resolve("escaped")), "written outside the output folder");
        assertFalse(Files.exists(dir.resolve("deep").resolve("escaped")), "written outside the output folder");
        assertFalse(Files.exists(absolute), "written at an absolute path the gateway named");
        try (var files = Files.walk(dir)) {
            List<Path> outside = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(target))
                    .filter(f -> f.getFileName().toString().contains("escaped") || f.startsWith(absolute)).toList();
            assertTrue(outside.isEmpty(), "files outside the output folder: " + outside);
        }
        assertTrue(stderr().contains("not a scan id or a plain file name"), stderr());
    }

    @Test
    void fetchListsWhatTheGatewayCannotGiveAndExitsOne() throws Exception {
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        finishedJob(job, scan);
        gateway.extra.put("/api/v1/jobs/" + job + "/results", FakeGateway.Answer.json(JSON.readTree("""
                {"scans":[{"scanId":"%s","segmentationKey":"k1","rotatedSegmentationKey":"k2"}]}""".formatted(scan))));
        assertEquals(1, runOnGateway("fetch", job.toString(), "--out", dir.resolve("o").toString()), stderr());
        String e = stderr();
        assertTrue(e.contains("missing scan " + scan + " outputs (acquired space)") && e.contains("no download link"), e);
        assertTrue(e.contains("no route GET") && e.contains("/report"), e);
        assertTrue(Files.exists(dir.resolve("o").resolve("results.json")));
        assertFalse(Files.exists(dir.resolve("o").resolve("report.html")));
    }

    @Test
    void fetchFollowsTheGatewaysResultDownloadNames() throws Exception {
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        finishedJob(job, scan);
        String base = "/api/v1/jobs/" + job + "/results/" + scan + "/objects/";
        gateway.extra.put("/api/v1/jobs/" + job + "/results", FakeGateway.Answer.json(JSON.readTree("""
                {"jobId":"%s","finalResults":true,"scans":[{"scanId":"%s",
                  "objects":{"segmentation":"k1","rotated-segmentation":"k2","segmentation.itksnap.txt":"k3",
                             "segmentation.ctbl":"k4"},
                  "downloads":{"segmentation":"%ssegmentation","rotated-segmentation":"%srotated-segmentation",
                               "segmentation.itksnap.txt":"%ssegmentation.itksnap.txt","segmentation.ctbl":"%ssegmentation.ctbl"}}]}
                """.formatted(job, scan, base, base, base, base))));
        byte[] acquired = gzip("acquired");
        byte[] rotated = gzip("rotated");
        gateway.extra.put(base + "segmentation", new FakeGateway.Answer(200, "application/octet-stream", acquired));
        gateway.extra.put(base + "rotated-segmentation", new FakeGateway.Answer(200, "application/octet-stream", rotated));
        gateway.extra.put(base + "segmentation.itksnap.txt", FakeGateway.Answer.text("application/octet-stream", "itk-snap table"));
        gateway.extra.put(base + "segmentation.ctbl", FakeGateway.Answer.text("application/octet-stream", "slicer table"));
        Path target = dir.resolve("g");
        runOnGateway("fetch", job.toString(), "--out", target.toString());
        Path scanDir = target.resolve("scans").resolve(scan.toString());
        assertArrayEquals(acquired, Files.readAllBytes(scanDir.resolve("segmentation.nii.gz")));
        assertArrayEquals(rotated, Files.readAllBytes(scanDir.resolve("rotated-segmentation.nii.gz")));
        // the viewers' label tables land beside their volume, under its name
        assertEquals("itk-snap table", Files.readString(scanDir.resolve("segmentation.itksnap.txt")));
        assertEquals("slicer table", Files.readString(scanDir.resolve("segmentation.ctbl")));
        assertFalse(stderr().contains("outputs (acquired space)") || stderr().contains("outputs (rotated space)"), stderr());
    }

    private void finishedJob(UUID job, UUID scan) throws IOException {
        gateway.extra.put("/api/v1/jobs/" + job, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","kind":"EVALUATE","state":"SUCCEEDED","scans":[{"scanId":"%s","state":"SUCCEEDED"}],"tasks":[]}
                """.formatted(job, scan))));
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }
}
