package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.dicom.DicomSeriesWriter;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.Volume;

/**
 * {@code predict} (submit, watch, fetch in one step) on each kind of input, a DICOM series'
 * conversion on the client (what is uploaded, what is not), its refusals, and {@code watch --json},
 * against the stand-in gateway.
 */
class PredictCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "Quintillafox^Zebedee";
    private static final String ID = "MRN-48151623";
    private static final String SERIES_UID = "1.2.826.0.1.3680043.10.1453.777.424242.5";
    static Volume head;

    @TempDir
    Path dir;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();
    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @BeforeAll
    static void scan() {
        head = new PhantomGenerator(PhantomSpec.of(32, 28, 10, new double[] {6, 6.5, 5}, 4)).generate(1).ct();
    }

    private int run(String... args) {
        return streams.run(gateway.connected(args));
    }

    private static DicomSeriesWriter planted() {
        DicomSeriesWriter w = new DicomSeriesWriter();
        w.patientName = NAME;
        w.patientId = ID;
        w.seriesUid = SERIES_UID;
        return w;
    }

    /** The job the next submission creates: done at the second look, with its results, metrics and report. */
    private UUID jobThatSucceeds() throws IOException {
        UUID job = UUID.randomUUID();
        gateway.nextJobId = job;
        String running = """
                {"id":"%s","kind":"SEGMENT","state":"RUNNING","scans":[],"tasks":[]}""".formatted(job);
        String done = """
                {"id":"%s","kind":"SEGMENT","state":"SUCCEEDED","scans":[],"tasks":[]}""".formatted(job);
        gateway.inTurn.put("/api/v1/jobs/" + job, new ArrayDeque<>(List.of(FakeGateway.Answer.json(JSON.readTree(running)),
                FakeGateway.Answer.json(JSON.readTree(done)))));
        gateway.extra.put("/api/v1/jobs/" + job + "/results", FakeGateway.Answer.json(JSON.readTree("""
                {"jobId":"%s","scans":[]}""".formatted(job))));
        gateway.extra.put("/api/v1/jobs/" + job + "/metrics?format=csv", FakeGateway.Answer.text("text/csv", "prediction,class,iou\n"));
        gateway.extra.put("/api/v1/jobs/" + job + "/metrics", FakeGateway.Answer.json(List.of()));
        gateway.extra.put("/api/v1/jobs/" + job + "/report", FakeGateway.Answer.text("text/html", "<html>report</html>"));
        return job;
    }

    private static Volume uploaded(byte[] ct, Path tmp) throws IOException {
        Path f = tmp.resolve("uploaded-" + UUID.randomUUID() + ".nii.gz");
        Files.write(f, ct);
        return NiftiReader.read(f);
    }

    private static List<Path> conversionFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("triplane-dicom")).sorted().toList();
        }
    }

    private static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertNothingPlanted(String where, String text) {
        for (String planted : List.of(NAME, "Quintillafox", ID, "48151623", SERIES_UID, "424242")) {
            assertFalse(text.contains(planted), where + " holds the planted '" + planted + "'");
        }
    }

    @Test
    void predictUploadsADicomSeriesAsNiftiFollowsTheJobAndFetchesItsOutputs() throws Exception {
        Path series = dir.resolve("series");
        planted().writeFolder(head, series);
        UUID job = jobThatSucceeds();
        Path out = dir.resolve("out");
        List<Path> conversionsBefore = conversionFolders();

        assertEquals(0, run("predict", "-i", series.toString(), "-o", out.toString(), "--interval", "0.05", "--model-set",
                UUID.randomUUID().toString()), streams.err());
        assertEquals(conversionsBefore, conversionFolders(), "the converted series' temporary folder is removed");

        // uploaded: the series as one NIfTI file in HU on the series' grid, without a transform
        assertEquals(1, gateway.uploadedCts.size());
        Volume ct = uploaded(gateway.uploadedCts.get(0), dir);
        assertTrue(head.geometry().sameGrid(ct.geometry(), 1e-4), ct.geometry().toString());
        for (int i = 0; i < head.voxels().length(); i++) {
            assertEquals(head.voxels().get(i), ct.voxels().get(i), 0, "voxel " + i);
        }
        assertTrue(gateway.scans.get(0).get("transform").isNull());
        // byte for byte the NIfTI file of the same scan: the same scan to the gateway (same checksum), so the same labels
        Path nifti = dir.resolve("head.nii.gz");
        NiftiWriter.write(head, nifti);
        assertArrayEquals(Files.readAllBytes(nifti), gateway.uploadedCts.get(0));
        // followed until it ended, then fetched
        assertTrue(streams.out().contains("job " + job) && streams.out().contains("SUCCEEDED"), streams.out());
        assertEquals("<html>report</html>", Files.readString(out.resolve("report.html")));
        assertEquals(job.toString(), JSON.readTree(out.resolve("job.json").toFile()).get("id").asText());
        assertTrue(streams.out().strip().endsWith(out.toString()), streams.out());

        // nothing identifying went to the gateway, to the console or into the outputs
        assertNothingPlanted("the upload", new String(gateway.uploadBodies.get(0), StandardCharsets.ISO_8859_1));
        assertNothingPlanted("the uploaded CT", gunzip(gateway.uploadedCts.get(0)));
        assertNothingPlanted("standard output", streams.out());
        assertNothingPlanted("standard error", streams.err());
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNothingPlanted(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }

        // run again: the conversion gives the same bytes, so the scan is reused and the job is the same
        assertEquals(0, run("submit", series.toString(), "--json", "--model-set", UUID.randomUUID().toString()), streams.err());
        assertEquals(1, gateway.uploads.get(), "the converted series was uploaded once");
        assertEquals("reused", JSON.readTree(streams.out()).get("scans").get(0).get("status").asText());
    }

    @Test
    void predictTakesAZippedSeriesAndAPlainCtFileAndWritesJsonLines() throws Exception {
        Path zip = planted().writeZip(head, dir.resolve("series.zip"));
        jobThatSucceeds();
        assertEquals(0, run("predict", "-i", zip.toString(), "-o", dir.resolve("out-zip").toString(), "--interval", "0.05",
                "--json"), streams.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : streams.out().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(List.of("progress", "progress", "end"),
                lines.subList(0, 3).stream().map(l -> l.path("event").asText()).toList(), streams.out());
        assertEquals(List.of("RUNNING", "SUCCEEDED", "SUCCEEDED"),
                lines.subList(0, 3).stream().map(l -> l.path("state").asText()).toList());
        assertEquals(dir.resolve("out-zip").toString(), lines.get(3).get("out").asText(), "fetch's summary comes last");
        assertTrue(head.geometry().sameGrid(uploaded(gateway.uploadedCts.get(0), dir).geometry(), 1e-4));

        // why another origin: the same head on the same grid is the zip's converted CT, which the gateway already has
        org.triplane.imaging.volume.Geometry g = head.geometry();
        Path ctFile = dir.resolve("head.nii.gz");
        NiftiWriter.write(new Volume(new org.triplane.imaging.volume.Geometry(g.nx(), g.ny(), g.nz(), g.spacing(),
                new double[] {1, 2, 3}, g.direction()), head.voxels()), ctFile);
        jobThatSucceeds();
        assertEquals(0, run("predict", "-i", ctFile.toString(), "-o", dir.resolve("out-file").toString(), "--interval", "0.05"),
                streams.err());
        assertArrayEquals(Files.readAllBytes(ctFile), gateway.uploadedCts.get(1), "a CT file is uploaded as it is");
    }

    @Test
    void aFailedJobEndsPredictWithExitOneAndNothingFetched() throws Exception {
        Path ctFile = dir.resolve("head.nii.gz");
        NiftiWriter.write(head, ctFile);
        UUID job = UUID.randomUUID();
        gateway.nextJobId = job;
        gateway.extra.put("/api/v1/jobs/" + job, FakeGateway.Answer.json(JSON.readTree("""
                {"id":"%s","kind":"SEGMENT","state":"FAILED","error":"registration refused the scan","scans":[],"tasks":[]}
                """.formatted(job))));
        Path out = dir.resolve("out");
        assertEquals(1, run("predict", "-i", ctFile.toString(), "-o", out.toString(), "--interval", "0.05"));
        assertTrue(streams.err().contains("registration refused the scan"), streams.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aSeriesThatIsNotOneAxialCtIsRefusedWithExitTwoBeforeAnyUpload() throws Exception {
        DicomSeriesWriter tilted = planted();
        tilted.tiltDegrees = 12;
        Path series = dir.resolve("tilted");
        tilted.writeFolder(head, series);
        assertEquals(2, run("predict", "-i", series.toString(), "-o", dir.resolve("out").toString()));
        assertTrue(streams.err().contains("DICOM series " + series + ": gantry tilt"), streams.err());
        assertNothingPlanted("standard error", streams.err());

        DicomSeriesWriter localizer = planted();
        localizer.imageType = "ORIGINAL\\PRIMARY\\LOCALIZER";
        Path scout = dir.resolve("scout");
        localizer.writeFolder(head, scout);
        assertEquals(2, run("submit", scout.toString()));
        assertTrue(streams.err().contains(scout + ": IM") && streams.err().contains("a localizer"), streams.err());

        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("readme.txt"), "no scans here");
        assertEquals(2, run("predict", "-i", notes.toString(), "-o", dir.resolve("out").toString()));
        assertTrue(streams.err().contains(notes + ": no scan in the study's layout"), streams.err());
        assertEquals(0, gateway.uploads.get());
    }

    @Test
    void watchJsonPrintsOneObjectPerProgressChange() throws Exception {
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        String view = """
                {"id":"%s","kind":"SEGMENT","state":"%s","scans":[{"scanId":"%s","state":"RUNNING"}],
                 "tasks":[{"scanId":"%s","kind":"PREPROCESS","plane":null,"state":"%s","attempt":1}]}""";
        List<FakeGateway.Answer> looks = new ArrayList<>();
        for (String[] s : List.of(new String[] {"RUNNING", "RUNNING"}, new String[] {"RUNNING", "RUNNING"},
                new String[] {"RUNNING", "SUCCEEDED"}, new String[] {"FAILED", "SUCCEEDED"})) {
            looks.add(FakeGateway.Answer.json(JSON.readTree(view.formatted(job, s[0], scan, scan, s[1]))));
        }
        gateway.inTurn.put("/api/v1/jobs/" + job, new ArrayDeque<>(looks));
        assertEquals(1, run("watch", job.toString(), "--interval", "0.05", "--json"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : streams.out().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(List.of("progress", "progress", "progress", "end"), lines.stream().map(l -> l.get("event").asText()).toList(),
                "four looks, two of them alike: " + streams.out());
        assertEquals(List.of("RUNNING", "SUCCEEDED", "SUCCEEDED"),
                lines.subList(0, 3).stream().map(l -> l.get("scans").get(0).get("preprocess").asText()).toList());
        assertEquals(Map.of("done", 1, "expected", 5), Map.of("done", lines.get(1).get("tasksDone").asInt(), "expected",
                lines.get(1).get("tasksExpected").asInt()));
        assertTrue(lines.get(0).get("scans").get(0).get("axial").isNull());
        assertEquals("FAILED", lines.get(3).get("state").asText());
        assertTrue(streams.err().contains("watch: job " + job + " FAILED"), streams.err());
    }
}
