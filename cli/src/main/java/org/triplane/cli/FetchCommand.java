package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.triplane.client.GatewayException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane fetch JOB --out DIR}: a finished job's outputs, metrics and report. */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Download a finished job's outputs into DIR:",
            "  job.json            the job with its tasks and every state transition (the audit trail)",
            "  results.json        per scan its outputs and statistics (GET /api/v1/jobs/JOB/results)",
            "  scans/SCAN/...      each scan's outputs in both spaces (rotated and as acquired), through the "
                    + "download links the results name",
            "  scans/SCAN/NAME.itksnap.txt, NAME.ctbl   beside each label volume NAME.nii.gz its label table for "
                    + "ITK-SNAP (Segmentation > Import Label Descriptions) and for 3D Slicer (a colour table): region "
                    + "names and colours as in the report",
            "  scans/SCAN/scan.json, transform.txt   the scan's record (transformOrigin uploaded or derived, the atlas "
                    + "registration's method and quality) and the ITK transform it was rotated with, uploaded or derived",
            "  metrics.csv, metrics.json   per prediction and class (GET /api/v1/jobs/JOB/metrics)",
            "  report.html         the job's report, one file that opens from disk: images, charts and styles inside",
            "What the gateway cannot give is listed, with why, and the exit code is 1."},
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {"0:everything written", "1:the job has not SUCCEEDED, or some output could not be fetched "
                + "(listed on standard error)", ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE,
            ExitCode.INTERRUPTED_LINE})
final class FetchCommand extends GatewayCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "JOB", description = "job id")
    UUID jobId;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder to write into (created)")
    Path out;

    @Option(names = "--json", description = "print {jobId, state, out, files: [{what, file, bytes}], missing: [{what, reason}]}")
    boolean json;

    /** @param what what it is @param file where it went @param bytes its size */
    record Written(String what, Path file, long bytes) {
    }

    /** @param what what could not be fetched @param reason why */
    /** Why an item whose name from the gateway would leave the output folder is not written. */
    static final String UNSAFE = "the gateway named a scan or file that is not a scan id or a plain file name inside the "
            + "output folder; nothing was written for it";

    record Missing(String what, String reason) {
    }

    @Override
    int run(Connection c) throws Exception {
        JsonNode job = c.client().job(c.apiKey(), jobId);
        String state = job.path("state").asText();
        if (!JobProgress.terminal(job)) {
            System.err.println("fetch: job " + jobId + " is " + state + "; its outputs come when it has finished "
                    + "(triplane watch " + jobId + ")");
            return ExitCode.JOB_FAILED;
        }
        Files.createDirectories(out);
        List<Written> written = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        if (!state.equals("SUCCEEDED")) {
            missing.add(new Missing("job", "job " + jobId + " " + state + (job.hasNonNull("error") ? ": " + job.get("error").asText() : "")
                    + "; fetching what there is"));
        }
        written.add(write("job", out.resolve("job.json"), JSON.writeValueAsBytes(job)));

        downloadScanTransforms(c, job, written, missing);
        JsonNode results = fetch("results", missing, () -> c.client().results(c.apiKey(), jobId));
        if (results != null) {
            written.add(write("results", out.resolve("results.json"), JSON.writeValueAsBytes(results)));
            downloadOutputs(c, job, results, written, missing);
        }
        String csv = fetch("metrics (CSV)", missing, () -> c.client().metricsCsv(c.apiKey(), jobId, Map.of()));
        if (csv != null) {
            String head = csv.stripLeading();
            if (head.startsWith("{") || head.startsWith("[") || head.startsWith("<")) {
                missing.add(new Missing("metrics (CSV)", "the gateway did not answer CSV to format=csv / Accept: text/csv"));
            } else {
                written.add(write("metrics (CSV)", out.resolve("metrics.csv"), csv.getBytes(StandardCharsets.UTF_8)));
            }
        }
        JsonNode metrics = fetch("metrics (JSON)", missing, () -> c.client().metrics(c.apiKey(), jobId, Map.of()));
        if (metrics != null) {
            written.add(write("metrics (JSON)", out.resolve("metrics.json"), JSON.writeValueAsBytes(metrics)));
        }
        String report = fetch("report", missing, () -> c.client().report(c.apiKey(), jobId));
        if (report != null) {
            written.add(write("report", out.resolve("report.html"), report.getBytes(StandardCharsets.UTF_8)));
        }

        for (Written w : written) {
            System.err.printf(Locale.ROOT, "fetch: %-16s %s (%d bytes)%n", w.what(), w.file(), w.bytes());
        }
        for (Missing m : missing) {
            System.err.println("fetch: missing " + m.what() + ": " + m.reason());
        }
        if (json) {
            System.out.println(Json.render(summary(state, written, missing)));
        } else {
            System.out.println(out);
        }
        return missing.isEmpty() ? ExitCode.OK : ExitCode.JOB_FAILED;
    }

    /**
     * Per scan of the job its record ({@code scan.json}: the transform's origin and the atlas
     * registration) and the transform file it was rotated with, uploaded or derived
     * ({@code transform.txt}), beside its outputs.
     */
    private void downloadScanTransforms(Connection c, JsonNode job, List<Written> written, List<Missing> missing)
            throws IOException, InterruptedException {
        for (JsonNode s : job.path("scans")) {
            String scanId = s.path("scanId").asText();
            Optional<String> folder = SafeNames.scanFolder(scanId);
            if (folder.isEmpty()) {
                missing.add(new Missing("scan '" + scanId + "'", UNSAFE));
                continue;
            }
            Path dir = out.resolve("scans").resolve(folder.get());
            JsonNode scan = fetch("scan " + scanId + " record", missing, () -> c.client().scan(c.apiKey(), UUID.fromString(scanId)));
            if (scan == null) {
                continue;
            }
            Files.createDirectories(dir);
            written.add(write("scan " + scanId + " record", dir.resolve("scan.json"), JSON.writeValueAsBytes(scan)));
            if (!scan.hasNonNull("transform")) {
                missing.add(new Missing("scan " + scanId + " transform", "the scan has no transform (it came without one "
                        + "and was not preprocessed)"));
                continue;
            }
            String what = "scan " + scanId + " transform (" + scan.path("transformOrigin").asText("uploaded") + ")";
            try {
                Path file = c.client().download(c.apiKey(), "/api/v1/scans/" + scanId + "/objects/transform",
                        dir.resolve("transform.txt")).file();
                written.add(new Written(what, file, Files.size(file)));
            } catch (GatewayException e) {
                missing.add(new Missing(what, GatewayCommand.describe(e, c)));
            }
        }
    }

    /** Each scan's outputs through the links of the results; a scan without links in both spaces is listed missing. */
    private void downloadOutputs(Connection c, JsonNode job, JsonNode results, List<Written> written, List<Missing> missing)
            throws IOException, InterruptedException {
        List<OutputLinks.Link> links = OutputLinks.find(results, c.client().baseUrl());
        Set<Path> taken = new HashSet<>();
        Map<String, List<String>> namesByScan = new LinkedHashMap<>();
        for (OutputLinks.Link l : links) {
            String what = (l.scanId() == null ? "" : "scan " + l.scanId() + " ") + l.name();
            Optional<String> folder = l.scanId() == null ? Optional.of("") : SafeNames.scanFolder(l.scanId());
            String name = fileName(l);
            Optional<Path> safe = folder.isEmpty() || !SafeNames.plainFile(name) ? Optional.empty()
                    : SafeNames.inside(out, folder.get().isEmpty() ? Path.of(name) : Path.of("scans", folder.get(), name));
            if (safe.isEmpty()) {
                missing.add(new Missing(what + " ('" + l.href() + "')", UNSAFE));
                continue;
            }
            Path target = safe.get();
            Path dir = target.getParent();
            if (!taken.add(target)) {
                Optional<Path> other = SafeNames.plainFile(l.name() + "-" + name) ? SafeNames.inside(dir, Path.of(l.name() + "-" + name))
                        : Optional.empty();
                if (other.isEmpty()) {
                    missing.add(new Missing(what + " ('" + l.href() + "')", UNSAFE));
                    continue;
                }
                target = other.get();
                taken.add(target);
            }
            try {
                Path file = withExtension(c.client().download(c.apiKey(), l.href(), target).file());
                written.add(new Written(what, file, Files.size(file)));
                if (l.scanId() != null) {
                    namesByScan.computeIfAbsent(l.scanId(), k -> new ArrayList<>()).add(space(l));
                }
            } catch (GatewayException e) {
                missing.add(new Missing(what, GatewayCommand.describe(e, c)));
            }
        }
        for (JsonNode s : job.path("scans")) {
            String scanId = s.path("scanId").asText();
            List<String> got = namesByScan.getOrDefault(scanId, List.of());
            for (String space : List.of("acquired", "rotated")) {
                if (!got.contains(space)) {
                    missing.add(new Missing("scan " + scanId + " outputs (" + space + " space)", links.isEmpty()
                            ? "the results name no download link for any output (the gateway has no download endpoint for "
                                    + "a job's outputs yet); results.json lists the object keys"
                            : "no download link for the " + space + " space in the results"));
                }
            }
        }
    }

    /**
     * The space of a scan's output: {@code rotated} for a name with "rotated", {@code acquired} for
     * one with "acquired" and for the gateway's {@code segmentation} (the fused labels on the CT's
     * acquired grid), else {@code other}.
     */
    static String space(OutputLinks.Link l) {
        String name = fileName(l).toLowerCase(Locale.ROOT);
        String field = l.name().toLowerCase(Locale.ROOT);
        if (name.contains("rotated") || field.contains("rotated")) {
            return "rotated";
        }
        if (name.contains("acquired") || field.contains("acquired") || name.equals("segmentation") || field.equals("segmentation")) {
            return "acquired";
        }
        return "other";
    }

    /** The last path element of the link (query left off). */
    private static String fileName(OutputLinks.Link l) {
        String h = l.href();
        int q = h.indexOf('?');
        h = q < 0 ? h : h.substring(0, q);
        String last = h.substring(h.lastIndexOf('/') + 1);
        return last.isBlank() || last.equals("..") || last.equals(".") ? l.name() : last;
    }

    /** A file whose name has no extension gets one from its first bytes: gzip, NIfTI-1, else none. */
    static Path withExtension(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.contains(".")) {
            return file;
        }
        byte[] head = new byte[348];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String ext = n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b ? ".nii.gz"
                : n >= 348 && head[344] == 'n' && (head[345] == '+' || head[345] == 'i') && head[346] == '1' ? ".nii" : "";
        if (ext.isEmpty()) {
            return file;
        }
        Path renamed = file.resolveSibling(name + ext);
        Files.move(file, renamed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return renamed;
    }

    /** A fetch that may be refused: the endpoint's answer, or {@code null} with the reason listed. */
    private <T> T fetch(String what, List<Missing> missing, Call<T> call) throws IOException, InterruptedException {
        try {
            return call.get();
        } catch (GatewayException e) {
            if (e.status() == 401) {
                throw e;
            }
            missing.add(new Missing(what, e.isUnknownRoute()
                    ? "the gateway has no route " + e.method() + " " + e.uri() + " (" + e.status() + "): it predates this endpoint"
                    : e.getMessage()));
            return null;
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T get() throws IOException, InterruptedException;
    }

    private static Written write(String what, Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes);
        return new Written(what, file, bytes.length);
    }

    private Map<String, Object> summary(String state, List<Written> written, List<Missing> missing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", jobId.toString());
        m.put("state", state);
        m.put("out", out.toString());
        List<Object> files = new ArrayList<>();
        for (Written w : written) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("what", w.what());
            f.put("file", w.file().toString());
            f.put("bytes", w.bytes());
            files.add(f);
        }
        m.put("files", files);
        List<Object> gaps = new ArrayList<>();
        for (Missing x : missing) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("what", x.what());
            g.put("reason", x.reason());
            gaps.add(g);
        }
        m.put("missing", gaps);
        return m;
    }
}
