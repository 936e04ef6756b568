package org.triplane.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.FreePorts;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackProperties;
import org.triplane.deploy.local.UpResult;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;

/**
 * The acceptance on the real stack: {@code submit} on a folder of 10 synthetic scans is
 * stopped after 5 uploads, run again, and ends with one job over the 10 scans and exactly 10 scan
 * rows in the database; a third run names the same job. Only the api-gateway runs besides the
 * servers (the workers are left out, so the job is not processed: nothing here needs it).
 */
class SubmitResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    private static LocalStack stack;
    private static Properties endpoints;

    @BeforeAll
    static void startStack() throws IOException {
        Path repository = Path.of(System.getProperty("triplane.repository", "..")).toAbsolutePath().normalize();
        Path gatewayApp = repository.resolve("api-gateway/target/quarkus-app");
        assertTrue(Files.isRegularFile(gatewayApp.resolve("quarkus-run.jar")),
                "build the gateway first: mvn -B install -DskipTests -pl api-gateway -am (no " + gatewayApp + ")");
        // why: a services home holding the gateway alone, so the workers (not needed here) are not started
        Path home = dir.resolve("services");
        Files.createDirectories(home.resolve("api-gateway/target"));
        Files.createSymbolicLink(home.resolve("api-gateway/target/quarkus-app"), gatewayApp);
        int[] ports = FreePorts.pick(8);
        StackConfig config = StackConfig.builder().setDataDir(dir.resolve("stack")).optServicesHome(home)
                .optPostgresPort(ports[0]).optKafkaPort(ports[1]).optKafkaControllerPort(ports[2]).optS3Port(ports[3])
                .optGatewayPort(ports[4]).optWorkerPort(ports[5]).optGpuWorkerPort(ports[6]).optFusionWorkerPort(ports[7])
                .optStartTimeout(Duration.ofSeconds(120)).build();
        stack = new LocalStack(config, (component, message) -> System.out.println("[stack] " + component + ": " + message));
        UpResult up = stack.up();
        assertEquals(ComponentStatus.State.RUNNING, up.status().component("gateway").orElseThrow().state(),
                "gateway; log in " + config.dataDir().resolve("logs"));
        endpoints = StackProperties.read(config.dataDir());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.down();
            assertTrue(stack.status().allStopped(), "processes left running: " + stack.status().toMap());
        }
    }

    @Test
    void anInterruptedSubmitResumesIntoOneJobOverTenScansWithoutDuplicateUploads() throws Exception {
        PhantomDataset.write(PhantomSpec.of(32, 32, 16, new double[] {7, 7, 8.5}, 3), dir.resolve("folder"), 10, null);
        Path folder = dir.resolve("folder");
        String gatewayUrl = endpoints.getProperty(StackProperties.GATEWAY_URL);

        // the local-stack tenant: created once with the admin token, kept in a mode-600 file, the same key after
        Path stackDir = dir.resolve("stack");
        org.triplane.cli.Connection c = new ConnectionResolver(Map.of(), stackDir).resolve(null, null);
        Path tenantFile = stackDir.resolve(ConnectionResolver.TENANT_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tenantFile)));
        assertEquals(c.apiKey(), new ConnectionResolver(Map.of(), stackDir).resolve(null, null).apiKey());
        UUID tenant = ConnectionResolver.storedTenant(stackDir);
        assertNotNull(tenant);

        // first run: stopped once 5 scans are uploaded, as an interruption would
        // why the stop waits for the rows: with 2 uploads at once, one may be in flight at the stop, and a request
        // the gateway has received is stored even when the client has gone, at a time no count after the stop
        // could wait out; so the stop comes once the gateway has stored every upload begun so far (the listener is
        // called one call at a time, so none begins meanwhile), and an upload about to begin after it is refused
        IOException stop = new IOException("interrupted after 5 uploads");
        AtomicInteger begunBeforeStop = new AtomicInteger();
        FolderSubmission.Listener stopAfterFive = new FolderSubmission.Listener() {
            private int begun;
            private int uploaded;
            private boolean stopped;

            @Override
            public void uploading(StudyLayout.ScanFiles files) {
                if (stopped) {
                    throw new UncheckedIOException(stop);
                }
                begun++;
            }

            @Override
            public void ready(FolderSubmission.ScanOutcome scan, int done, int total) throws IOException {
                if (scan.uploaded() && ++uploaded == 5) {
                    awaitScanRows(tenant, begun);
                    stopped = true;
                    begunBeforeStop.set(begun);
                    throw stop;
                }
            }
        };
        UUID set = modelSetWithoutWeights();
        FolderSubmission.Request request = new FolderSubmission.Request("segment", Map.of(), set, 2);
        Exception stopped = assertThrows(Exception.class,
                () -> new FolderSubmission(c.client(), c.apiKey(), stopAfterFive).submit(folder, request));
        assertTrue(stopped == stop || stopped.getCause() == stop, "the submission ended with the stop: " + stopped);
        long afterStop = begunBeforeStop.get();
        assertTrue(afterStop >= 5 && afterStop <= 6, "uploads begun before the interruption: " + afterStop);
        assertEquals(afterStop, count("SELECT count(*) FROM scans WHERE tenant_id = ?", tenant), "scan rows after the interruption");
        assertEquals(0, count("SELECT count(*) FROM jobs WHERE tenant_id = ?", tenant));

        // second run through the command line: uploads only the rest, submits the job
        Cli second = cli("submit", folder.toString(), "--model-set", set.toString(), "--json", "--gateway", gatewayUrl,
                "--api-key", c.apiKey());
        assertEquals(0, second.code(), second.err());
        JsonNode result = JSON.readTree(second.out());
        assertEquals(10, result.get("scans").size());
        long reused = 0;
        for (JsonNode s : result.get("scans")) {
            reused += s.get("status").asText().equals("reused") ? 1 : 0;
        }
        assertEquals(afterStop, reused, second.err());
        assertEquals(10, count("SELECT count(*) FROM scans WHERE tenant_id = ?", tenant), "no duplicate uploads");
        assertEquals(10, count("SELECT count(DISTINCT ct_sha256) FROM scans WHERE tenant_id = ?", tenant));
        assertEquals(1, count("SELECT count(*) FROM jobs WHERE tenant_id = ?", tenant));
        UUID jobId = UUID.fromString(result.get("jobId").asText());
        assertEquals(10, count("SELECT count(DISTINCT scan_id) FROM job_scans WHERE job_id = ?", jobId));
        JsonNode job = c.client().job(c.apiKey(), jobId);
        Set<String> inJob = new HashSet<>();
        job.get("scans").forEach(s -> inJob.add(s.get("scanId").asText()));
        Set<String> submitted = new HashSet<>();
        result.get("scans").forEach(s -> submitted.add(s.get("scanId").asText()));
        assertEquals(submitted, inJob);

        // third run, with the stored tenant: the same job, nothing uploaded
        Cli third = cli("submit", folder.toString(), "--model-set", set.toString(), "--json", "--gateway", gatewayUrl,
                "--api-key", c.apiKey());
        assertEquals(0, third.code(), third.err());
        JsonNode again = JSON.readTree(third.out());
        assertEquals(jobId.toString(), again.get("jobId").asText());
        assertFalse(again.get("created").asBoolean());
        assertEquals(10, count("SELECT count(*) FROM scans WHERE tenant_id = ?", tenant));
        assertEquals(1, count("SELECT count(*) FROM jobs WHERE tenant_id = ?", tenant));

        // the audit view lists it
        List<JsonNode> jobs = new GatewayClient(gatewayUrl).jobs(c.apiKey(), new GatewayClient.JobFilter(null, null, null, null, 10));
        assertEquals(List.of(jobId.toString()), jobs.stream().map(j -> j.get("id").asText()).toList());
    }

    /**
     * A DICOM series with a planted patient name, ID and UIDs, submitted through the command line
     * and, as a zip, straight to the REST API: the gateway stores the series' volume on its grid (the
     * same CT file both ways), refuses a tilted series naming the entry, and none of the planted values is anywhere
     * in the stack's files — PostgreSQL's data and WAL, Kafka's logs, the object store, the services'
     * logs — nor in the answers (the command's output, the scan record). Its own tenant, so the
     * resume test's counts stay its own.
     */
    @Test
    void aDicomSeriesIsStoredAsItsVolumeWithNothingThatIdentifiesThePatient() throws Exception {
        String name = "Quintillafox^Zebedee";
        String patientId = "MRN-48151623";
        org.triplane.imaging.dicom.DicomSeriesWriter w = new org.triplane.imaging.dicom.DicomSeriesWriter();
        w.patientName = name;
        w.patientId = patientId;
        w.studyUid = "1.2.826.0.1.3680043.10.1453.777.424242";
        w.seriesUid = w.studyUid + ".5";
        org.triplane.imaging.volume.Volume head = new org.triplane.imaging.phantom.PhantomGenerator(
                PhantomSpec.of(32, 28, 12, new double[] {6, 6.5, 5}, 9)).generate(1).ct();
        Path series = dir.resolve("dicom-series");
        w.writeFolder(head, series);
        String gatewayUrl = endpoints.getProperty(StackProperties.GATEWAY_URL);
        GatewayClient client = new GatewayClient(gatewayUrl);
        String tenantName = "dicom-" + UUID.randomUUID();
        GatewayClient.Tenant tenant = client.createTenant(endpoints.getProperty(StackProperties.GATEWAY_ADMIN_TOKEN), tenantName);

        Cli submitted = cli("submit", series.toString(), "--model-set", modelSetWithoutWeights().toString(), "--json",
                "--gateway", gatewayUrl, "--api-key", tenant.apiKey());
        assertEquals(0, submitted.code(), submitted.err());
        UUID scanId = UUID.fromString(JSON.readTree(submitted.out()).get("scans").get(0).get("scanId").asText());
        Path stored = client.download(tenant.apiKey(), "/api/v1/scans/" + scanId + "/objects/ct", dir.resolve("stored-ct.nii")).file();
        org.triplane.imaging.volume.Volume ct = org.triplane.imaging.nifti.NiftiReader.read(stored);
        assertTrue(head.geometry().sameGrid(ct.geometry(), 1e-4), ct.geometry().toString());
        assertEquals(head.voxels().get(1234), ct.voxels().get(1234), 0);

        // the same series as a zip straight to the REST API: the gateway converts it into the very same CT file
        java.net.http.HttpResponse<String> direct = postDicom(gatewayUrl, tenant.apiKey(), w.writeZip(head, dir.resolve("series.zip")));
        assertEquals(201, direct.statusCode(), direct.body());
        assertEquals(JSON.readTree(submitted.out()).get("scans").get(0).get("ctSha256").asText(),
                JSON.readTree(direct.body()).path("upload").path("ctSha256").asText(), direct.body());
        w.tiltDegrees = 10;
        java.net.http.HttpResponse<String> tilted = postDicom(gatewayUrl, tenant.apiKey(), w.writeZip(head, dir.resolve("tilted.zip")));
        assertEquals(400, tilted.statusCode(), tilted.body());
        assertTrue(tilted.body().contains("dicom") && tilted.body().contains("SERIES1/IM") && tilted.body().contains("gantry tilt"),
                tilted.body());

        List<String> planted = List.of(name, "Quintillafox", patientId, "48151623", w.studyUid, "424242");
        String answers = submitted.out() + submitted.err() + client.scan(tenant.apiKey(), scanId) + direct.body() + tilted.body();
        int searched = 0;
        boolean tenantNameSeen = false;
        try (var files = Files.walk(dir.resolve("stack"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = readable(f);
                searched++;
                tenantNameSeen |= text.contains(tenantName);
                for (String p : planted) {
                    assertFalse(text.contains(p), f + " holds the planted '" + p + "'");
                }
            }
        }
        assertTrue(searched > 100, "the stack's files were searched: " + searched);
        // why: the tenant's name is text the database holds, so the search does see what the stack stores
        assertTrue(tenantNameSeen, "the tenant's name " + tenantName + " was found in none of the stack's files");
        for (String p : planted) {
            assertFalse(answers.contains(p), "an answer holds the planted '" + p + "'");
        }
    }

    private static java.net.http.HttpResponse<String> postDicom(String gatewayUrl, String apiKey, Path zip) throws Exception {
        org.triplane.client.Multipart m = new org.triplane.client.Multipart().file("dicom", zip);
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayUrl + "/api/v1/scans"))
                .header("X-Api-Key", apiKey).header("Content-Type", m.contentType()).POST(m.publisher()).build();
        return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** A file's bytes as Latin-1 text, inflated first when it is gzip (a stored object may be). */
    private static String readable(Path f) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
            return "";
        }
        if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
                b = in.readAllBytes();
            } catch (IOException notGzip) {
                // kept as it is
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * A complete model set registered as the owner, whose weights are never stored: the stack runs no
     * gpu-worker and has no default model set, and a segment job must name one.
     */
    private static UUID modelSetWithoutWeights() throws Exception {
        try (Connection db = DriverManager.getConnection(endpoints.getProperty(StackProperties.POSTGRES_URL),
                endpoints.getProperty(StackProperties.POSTGRES_USER), endpoints.getProperty(StackProperties.POSTGRES_PASSWORD))) {
            UUID set = UUID.randomUUID();
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO model_sets (id, name, code_version) VALUES (?, ?, 'it')")) {
                ps.setObject(1, set);
                ps.setString(2, "it-no-weights-" + set);
                ps.executeUpdate();
            }
            for (String plane : List.of("AXIAL", "CORONAL", "SAGITTAL")) {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO models (model_set_id, plane, architecture, seed, "
                        + "training_scan_ids, training_scan_sha256, voxel_spacing_mm, slice_size, code_version, weights_key) "
                        + "VALUES (?, ?, 'unet', 1, '{}', '{}', '{2,2,2}', '{64,64}', 'it', ?)")) {
                    ps.setObject(1, set);
                    ps.setString(2, plane);
                    ps.setString(3, "models/" + set + "/" + plane + "/weights.params");
                    ps.executeUpdate();
                }
            }
            return set;
        }
    }

    private static long count(String sql, UUID id) throws Exception {
        // why: the owner role is exempt from row-level security, so it counts every tenant's rows; the query filters
        try (Connection db = DriverManager.getConnection(endpoints.getProperty(StackProperties.POSTGRES_URL),
                endpoints.getProperty(StackProperties.POSTGRES_USER), endpoints.getProperty(StackProperties.POSTGRES_PASSWORD));
             PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One command line run in this JVM, with what it printed. */
    private record Cli(int code, String out, String err) {
    }

    private Cli cli(String... args) {
        int code = streams.run(args);
        return new Cli(code, streams.out(), streams.err());
    }

    /** Waits until the tenant has {@code rows} scan rows. */
    private static void awaitScanRows(UUID tenant, int rows) {
        await("the gateway storing " + rows + " scans of tenant " + tenant).atMost(Duration.ofSeconds(60))
                .until(() -> count("SELECT count(*) FROM scans WHERE tenant_id = ?", tenant), n -> n >= rows);
    }
}
