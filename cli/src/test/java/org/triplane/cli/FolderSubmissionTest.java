package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.GatewayClient;
import org.triplane.client.GatewayException;

/** Resumable folder submission against a stand-in gateway that hashes what it receives itself. */
class FolderSubmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();
    private GatewayClient client;

    @BeforeEach
    void connect() {
        client = new GatewayClient(gateway.url());
    }

    /** {@code count} scans of random bytes in the study's layout, odd ones with labels. */
    private void writeFolder(int count) throws IOException {
        Random random = new Random(5);
        for (int i = 1; i <= count; i++) {
            byte[] ct = new byte[2000 + 100 * i];
            random.nextBytes(ct);
            Files.write(dir.resolve(i + ".nii.gz"), ct);
            Files.writeString(dir.resolve(i + ".txt"), "#Insight Transform File V1.0 scan " + i + "\n");
            if (i % 2 == 1) {
                byte[] labels = new byte[500];
                random.nextBytes(labels);
                Files.write(dir.resolve(i + "-seg.nii.gz"), labels);
            }
        }
    }

    private static final class StopAfter implements FolderSubmission.Listener {
        private final int uploads;
        private final AtomicInteger seen = new AtomicInteger();

        StopAfter(int uploads) {
            this.uploads = uploads;
        }

        @Override
        public void ready(FolderSubmission.ScanOutcome scan, int done, int total) throws IOException {
            if (scan.uploaded() && seen.incrementAndGet() == uploads) {
                throw new IOException("stopped after " + uploads + " uploads");
            }
        }
    }

    private static final FolderSubmission.Listener QUIET = (scan, done, total) -> { };

    @Test
    void anInterruptedSubmissionResumesWithoutDuplicatesIntoOneJob() throws Exception {
        writeFolder(10);
        FolderSubmission.Request request = new FolderSubmission.Request("segment", Map.of(), null, 2);
        IOException stopped = assertThrows(IOException.class,
                () -> new FolderSubmission(client, FakeGateway.KEY, new StopAfter(5)).submit(dir, request));
        assertEquals("stopped after 5 uploads", stopped.getMessage());
        int firstRun = gateway.uploads.get();
        assertTrue(firstRun >= 5 && firstRun < 10, "uploads before the stop: " + firstRun);
        assertTrue(gateway.jobsByKey.isEmpty(), "no job before every scan is up");

        FolderSubmission.Result second = new FolderSubmission(client, FakeGateway.KEY, QUIET).submit(dir, request);
        assertEquals(10, gateway.uploads.get(), "each scan uploaded exactly once over both runs");
        assertEquals(10 - firstRun, second.uploaded());
        assertTrue(second.created());
        assertEquals(1, gateway.jobsByKey.size());
        JsonNode job = gateway.jobsByKey.values().iterator().next();
        Set<String> jobScans = new HashSet<>();
        job.path("scanIds").forEach(id -> jobScans.add(id.asText()));
        Set<String> stored = new HashSet<>();
        gateway.scans.forEach(s -> stored.add(s.get("id").asText()));
        assertEquals(stored, jobScans, "the job is over the 10 stored scans");

        // the folder's files as the gateway hashed them: each scan id holds its own files
        for (FolderSubmission.ScanOutcome s : second.scans()) {
            JsonNode scan = gateway.scans.stream().filter(x -> x.get("id").asText().equals(s.scanId().toString()))
                    .findFirst().orElseThrow();
            assertEquals(FakeGateway.sha256(Files.readAllBytes(s.files().ct())), scan.path("ct").path("sha256").asText());
            assertEquals(FakeGateway.sha256(Files.readAllBytes(s.files().transform())), scan.path("transform").path("sha256").asText());
            assertEquals(s.files().labels() != null, scan.path("labels").isObject());
        }

        FolderSubmission.Result third = new FolderSubmission(client, FakeGateway.KEY, QUIET).submit(dir, request);
        assertEquals(second.jobId(), third.jobId());
        assertFalse(third.created());
        assertEquals(0, third.uploaded());
        assertEquals(10, gateway.uploads.get());
        assertEquals(1, gateway.jobsByKey.size());
    }

    @Test
    void aChangedTransformIsANewScanAndANewJob() throws Exception {
        writeFolder(3);
        FolderSubmission.Request request = new FolderSubmission.Request("segment", Map.of(), null, 1);
        UUID first = new FolderSubmission(client, FakeGateway.KEY, QUIET).submit(dir, request).jobId();
        Files.writeString(dir.resolve("2.txt"), "#Insight Transform File V1.0 changed\n");
        FolderSubmission.Result r = new FolderSubmission(client, FakeGateway.KEY, QUIET).submit(dir, request);
        assertEquals(4, gateway.uploads.get());
        assertEquals(1, r.uploaded());
        assertTrue(r.created());
        assertFalse(first.equals(r.jobId()));
    }

    @Test
    void twoFilesWithTheSameCtAreRefusedBeforeAnyUpload() throws Exception {
        writeFolder(3);
        Files.copy(dir.resolve("1.nii.gz"), dir.resolve("4.nii.gz"));
        Files.writeString(dir.resolve("4.txt"), "other");
        InputException e = assertThrows(InputException.class, () -> new FolderSubmission(client, FakeGateway.KEY, QUIET)
                .submit(dir, new FolderSubmission.Request("segment", Map.of(), null, 2)));
        assertTrue(e.getMessage().contains("4.nii.gz") && e.getMessage().contains("1.nii.gz"), e.getMessage());
        assertEquals(0, gateway.uploads.get());
    }

    @Test
    void aGatewayWithoutTheChecksumLookupStopsBeforeUploading() throws Exception {
        writeFolder(2);
        gateway.lookupRoute = false;
        GatewayException e = assertThrows(GatewayException.class, () -> new FolderSubmission(client, FakeGateway.KEY, QUIET)
                .submit(dir, new FolderSubmission.Request("segment", Map.of(), null, 2)));
        assertTrue(e.isUnknownRoute(), e.getMessage());
        assertEquals(0, gateway.uploads.get());
    }

    @Test
    void reusesTheOldestScanWithTheSameTransformAndLabels() throws Exception {
        String ct = "c".repeat(64);
        String t = "1".repeat(64);
        String l = "2".repeat(64);
        List<JsonNode> candidates = List.of(
                scan("00000000-0000-0000-0000-000000000001", ct, t, null, "2026-01-02T00:00:00Z"),
                scan("00000000-0000-0000-0000-000000000002", ct, t, l, "2026-01-03T00:00:00Z"),
                scan("00000000-0000-0000-0000-000000000003", ct, t, l, "2026-01-01T00:00:00Z"),
                scan("00000000-0000-0000-0000-000000000004", ct, "9".repeat(64), l, "2025-01-01T00:00:00Z"));
        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000003")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, l), true));
        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000001")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, null), true));
        assertEquals(Optional.empty(), FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, "8".repeat(64), null), true));
        // an uncompressed label file is stored gzipped: its checksum cannot match, its presence must
        assertEquals(Optional.empty(), FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, "7".repeat(64)), true));
        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000003")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, "7".repeat(64)), false));
    }

    @Test
    void aCtWithoutATransformReusesOnlyAScanUploadedWithoutOneEvenAfterItsTransformWasDerived() throws Exception {
        String ct = "c".repeat(64);
        String t = "1".repeat(64);
        List<JsonNode> candidates = List.of(
                scan("00000000-0000-0000-0000-000000000001", ct, t, null, "2026-01-01T00:00:00Z"),
                scan("00000000-0000-0000-0000-000000000002", ct, "5".repeat(64), "derived", null, "2026-01-02T00:00:00Z"),
                scan("00000000-0000-0000-0000-000000000003", ct, null, null, null, "2026-01-03T00:00:00Z"));
        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000002")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, null, null), true));
        // a derived transform is never the file a scan was uploaded with
        assertEquals(Optional.empty(),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, "5".repeat(64), null), true));
        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000001")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, null), true));
    }

    @Test
    void aDeidentifiedScanIsFoundByTheChecksumsOfTheFilesAsUploaded() throws Exception {
        String ct = "c".repeat(64);
        String t = "1".repeat(64);
        String l = "2".repeat(64);
        // stored de-identified: the stored objects' checksums are not the files'
        JsonNode deidentified = withUpload(scan("00000000-0000-0000-0000-000000000001", "a".repeat(64), t, "b".repeat(64),
                "2026-01-01T00:00:00Z"), ct, l);
        List<JsonNode> candidates = List.of(deidentified);

        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000001")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, l), true));
        // the uploaded checksum decides, also for an uncompressed label file
        assertEquals(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000001")),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, l), false));
        assertEquals(Optional.empty(),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, "7".repeat(64)), false));
        assertEquals(Optional.empty(),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums(ct, t, null), true));
        assertEquals(Optional.empty(),
                FolderSubmission.sameScan(candidates, new SubmissionKey.ScanChecksums("d".repeat(64), t, l), true));
    }

    @Test
    void aScanWithoutATransformHasItsOwnSubmissionKeyLine() {
        assertEquals("c d -", new SubmissionKey.ScanChecksums("c", "d", null).line());
        assertEquals("c - -", new SubmissionKey.ScanChecksums("c", null, null).line());
    }

    /** @return the scan answer with the checksums of its parts as uploaded */
    private static JsonNode withUpload(JsonNode scan, String ct, String labels) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) scan).putObject("upload").put("ctSha256", ct)
                .put("labelsSha256", labels).put("deidentified", true);
        return scan;
    }

    private static JsonNode scan(String id, String ct, String transform, String labels, String createdAt) throws IOException {
        return scan(id, ct, transform, transform == null ? null : "uploaded", labels, createdAt);
    }

    private static JsonNode scan(String id, String ct, String transform, String origin, String labels, String createdAt)
            throws IOException {
        return JSON.readTree("{\"id\":\"" + id + "\",\"ct\":{\"sha256\":\"" + ct + "\"},\"transform\":"
                + (transform == null ? "null" : "{\"sha256\":\"" + transform + "\"}") + ",\"transformOrigin\":"
                + (origin == null ? "null" : "\"" + origin + "\"") + ",\"labels\":"
                + (labels == null ? "null" : "{\"sha256\":\"" + labels + "\"}") + ",\"createdAt\":\"" + createdAt + "\"}");
    }
}
