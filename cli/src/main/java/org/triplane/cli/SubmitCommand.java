package org.triplane.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane submit DIR}: a folder of scans in the study's layout as one job, resumably. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Upload a folder of scans in the study's layout (or one CT file, or a DICOM series) and submit them as one "
                    + "job; print the job id.",
            "DIR holds per scan N.nii.gz (the CT), optionally N.txt (its ITK transform; without it the "
                    + "preprocess-worker registers the atlas to the scan and derives the rotation) and optionally "
                    + "N-seg.nii.gz or N-seg.nii (reference labels, needed for evaluate and train). Each scan's files are hashed "
                    + "(SHA-256); a scan this tenant already uploaded (same CT, transform and labels) is reused, "
                    + "the others are uploaded, at most --parallel at a time, with a progress line per scan on "
                    + "standard error. The job goes in under an Idempotency-Key derived from the checksums, kind, "
                    + "parameters and model set, so running the same command again after an interruption uploads "
                    + "only what is missing and ends with the same single job.",
            "DIR may instead be one CT file (N.nii.gz or .nii; a scan without transform or labels) or one CT series as "
                    + "DICOM files (a folder or a zip; uncompressed little endian): the series is converted here to a "
                    + "NIfTI file in HU with its geometry, and only that is uploaded — no patient name, ID, date or "
                    + "other attribute leaves this machine. A series that is not one axial CT series (another "
                    + "modality, a localizer, a coronal reconstruction, a gantry tilt, missing slices, several series, "
                    + "a compressed transfer syntax) is refused naming the file and the reason (exit 2)."},
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {ExitCode.OK_LINE, ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE,
            ExitCode.INTERRUPTED_LINE})
final class SubmitCommand extends GatewayCommand {
    static final List<String> KINDS = List.of("segment", "evaluate", "train");

    @Parameters(index = "0", paramLabel = "DIR", description = "folder of scans in the study's layout, one CT file, "
            + "or a DICOM series (folder or zip)")
    Path dir;

    @Option(names = "--kind", paramLabel = "KIND", description = "segment, evaluate or train (default: ${DEFAULT-VALUE})")
    String kind = "segment";

    @Option(names = "--model-set", paramLabel = "ID", description = "model set to run (segment, evaluate); see `triplane models`. Without it the "
            + "default model set runs (the one shipped in models/default, registered at the gateway's start); where "
            + "none is registered the gateway refuses the job (exit 3)")
    UUID modelSet;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "a job parameter, repeatable; VALUE is read as JSON when it is JSON (3, true, [256,256,160]), "
                    + "else as text (e.g. --param preset=tiny --param epochs=3 for train, --param fusion=confidence); "
                    + "a key the job's kind does not take or a value its key refuses is refused by the gateway, naming "
                    + "parameters.KEY and what it expects (exit 3; the keys: api-gateway/README.md)")
    List<String> params = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "uploads at once (default: ${DEFAULT-VALUE})")
    int parallel = 2;

    @Option(names = "--json", description = "print {jobId, created, state, idempotencyKey, scans: [{file, scanId, "
            + "status: uploaded|reused, ctSha256}]} instead of the job id")
    boolean json;

    private Map<String, Object> parameters;
    private ScanInput input;

    @Override
    void validate() throws InputException, IOException {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(k)) {
            throw new InputException("--kind " + kind + ": expected segment, evaluate or train");
        }
        if (parallel < 1 || parallel > 32) {
            throw new InputException("--parallel " + parallel + ": expected 1 to 32");
        }
        if (k.equals("train") && modelSet != null) {
            throw new InputException("--model-set: a train job creates its own model set");
        }
        parameters = JobParameters.parse(params);
        input = ScanInput.of(dir);
    }

    @Override
    void cleanup() throws IOException {
        if (input != null) {
            input.close();
        }
    }

    @Override
    int run(Connection c) throws Exception {
        FolderSubmission.Result r = submit(c);
        System.out.println(json ? Json.render(toJson(r)) : r.jobId().toString());
        return ExitCode.OK;
    }

    /** Uploads what {@link #validate()} found and submits the job, with progress on standard error. */
    FolderSubmission.Result submit(Connection c) throws Exception {
        String k = kind.toLowerCase(Locale.ROOT);
        PrintStream err = System.err;
        String what = input.kind() == ScanInput.Kind.DICOM_SERIES ? dir + " (DICOM series, converted here to NIfTI)" : dir.toString();
        err.printf("submit: %s to %s (%s job, %d upload%s at once)%n", what, c.client().baseUrl(), k, parallel,
                parallel == 1 ? "" : "s");
        FolderSubmission.Result r = new FolderSubmission(c.client(), c.apiKey(), new Progress(err))
                .submit(input.folder(), new FolderSubmission.Request(k, parameters, modelSet, parallel));
        long uploaded = r.uploaded();
        err.printf("submit: job %s %s (%d scans: %d uploaded, %d already there); follow it: triplane watch %s%n",
                r.jobId(), r.created() ? "submitted" : "was submitted by an earlier run, state " + r.state(),
                r.scans().size(), uploaded, r.scans().size() - uploaded, r.jobId());
        return r;
    }

    static Map<String, Object> toJson(FolderSubmission.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", r.jobId().toString());
        m.put("created", r.created());
        m.put("state", r.state());
        m.put("idempotencyKey", r.idempotencyKey());
        List<Object> scans = new ArrayList<>();
        for (FolderSubmission.ScanOutcome s : r.scans()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("file", s.files().ct().getFileName().toString());
            e.put("scanId", s.scanId().toString());
            e.put("status", s.uploaded() ? "uploaded" : "reused");
            e.put("ctSha256", s.checksums().ct());
            scans.add(e);
        }
        m.put("scans", scans);
        return m;
    }

    static String size(long bytes) {
        return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }

    /** One line per scan on standard error, with a bar over the folder. */
    static final class Progress implements FolderSubmission.Listener {
        private final PrintStream err;

        Progress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void hashed(StudyLayout.ScanFiles files, int done, int total) {
            if (done == total) {
                err.printf("submit: %d scan%s hashed%n", total, total == 1 ? "" : "s");
            }
        }

        @Override
        public void ready(FolderSubmission.ScanOutcome s, int done, int total) throws IOException {
            String what = s.uploaded()
                    ? String.format(Locale.ROOT, "uploaded as scan %s (%s in %.1f s)", s.scanId(), size(s.bytes()), s.seconds())
                    : "already there: scan " + s.scanId();
            String count = String.format("%" + String.valueOf(total).length() + "d/%d", done, total);
            err.printf("%s %s  %s  %s%n", ProgressBar.of(done, total), count, s.files().ct().getFileName(), what);
            err.flush();
        }
    }
}
