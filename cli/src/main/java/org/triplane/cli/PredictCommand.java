package org.triplane.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code triplane predict -i IN -o OUT}: segment in one step — {@code submit}, {@code watch} and
 * {@code fetch} run one after the other with their own code, as the three commands would.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Segment scans in one step: upload IN as a segment job (as `triplane submit`), follow it until "
                + "it ends (as `triplane watch`), then download its outputs into OUT (as `triplane fetch`).",
            "IN is a folder in the study's layout (N.nii.gz, optionally N.txt and N-seg.nii.gz), one CT file (.nii.gz "
                    + "or .nii, no transform needed: the preprocess-worker derives the rotation from the atlas "
                    + "registration), or one CT series as DICOM files (a folder or a zip; converted here to NIfTI, "
                    + "nothing identifying is uploaded). Resumable as submit is: running it again after an "
                    + "interruption reuses the uploaded scans and the job.",
            "Progress goes to standard output (with --json as JSON lines, as `watch --json`), upload messages to "
                    + "standard error; at the end OUT (with --json, fetch's JSON summary) is printed."},
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {"0:the job SUCCEEDED and every output was written",
            "1:the job FAILED or was CANCELLED (the reasons are printed), or some output could not be fetched",
            ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE, ExitCode.INTERRUPTED_LINE})
final class PredictCommand extends GatewayCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "IN", required = true,
            description = "folder in the study's layout, one CT file, or a DICOM series (folder or zip)")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true,
            description = "folder for the outputs (created), laid out as `triplane fetch` lays them out")
    Path output;

    @Option(names = "--model-set", paramLabel = "ID", description = "model set to run; without it the default model set")
    UUID modelSet;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "a segment job parameter, repeatable (as in submit)")
    List<String> params = new ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "uploads at once (default: ${DEFAULT-VALUE})")
    int parallel = 2;

    @Option(names = "--interval", paramLabel = "S", description = "seconds between looks at the job (default: ${DEFAULT-VALUE})")
    double interval = 2;

    @Option(names = "--json", description = "progress as JSON lines (see watch --json), then fetch's JSON summary")
    boolean json;

    private final SubmitCommand submit = new SubmitCommand();
    private final WatchCommand watch = new WatchCommand();
    private final FetchCommand fetch = new FetchCommand();

    @Override
    void validate() throws InputException, java.io.IOException {
        watch.interval = interval;
        watch.validate();
        submit.dir = input;
        submit.kind = "segment";
        submit.modelSet = modelSet;
        submit.params = params;
        submit.parallel = parallel;
        submit.validate();
    }

    @Override
    void cleanup() throws java.io.IOException {
        submit.cleanup();
    }

    @Override
    int run(Connection c) throws Exception {
        FolderSubmission.Result r = submit.submit(c);
        watch.jobId = r.jobId();
        watch.json = json;
        int watched = watch.run(c);
        if (watched != ExitCode.OK) {
            return watched;
        }
        fetch.jobId = r.jobId();
        fetch.out = output;
        fetch.json = json;
        return fetch.run(c);
    }
}
