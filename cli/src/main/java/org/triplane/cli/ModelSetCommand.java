package org.triplane.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.triplane.client.modelset.ModelSetExport;
import org.triplane.client.modelset.ModelSetFolder;
import org.triplane.imaging.fusion.WeightedVoteFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane model-set}: the model set that ships with the project, and a set's learned fusion weights. */
@Command(name = "model-set", mixinStandardHelpOptions = true,
        description = "The model set that ships with the project: a folder (models/default) that the gateway registers at "
                + "every start as the default model set of every tenant, run by segment and evaluate jobs that name none; "
                + "and the learned fusion weights of a set (fit-fusion), which jobs use with --param fusion=learned.",
        subcommands = {ModelSetCommand.Export.class, ModelSetCommand.FitFusion.class})
final class ModelSetCommand {

    /** {@code triplane model-set export}. */
    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Download a trained model set (or the one a TRAIN job produced) from the gateway into a folder: "
                    + "model-set.json (hyper-parameters, seeds, code version, validation metrics, and what --training and "
                    + "--metrics add) and axial.params, coronal.params, sagittal.params (the weights, checked by SHA-256), "
                    + "and fusion-weights.json when the set has learned fusion weights (model-set fit-fusion). Written into "
                    + "models/default, the stack registers it, with its fusion weights, as the default at its next start.",
            exitCodeListHeading = ExitCode.HEADING,
            exitCodeList = {ExitCode.OK_LINE, ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE})
    static final class Export extends GatewayCommand {
        /** Most the shipped folder may weigh in the repository, bytes. */
        static final long REPOSITORY_LIMIT = 50L * 1024 * 1024;

        @Parameters(index = "0", paramLabel = "ID", description = "a model set id, or the id of the TRAIN job that produced it")
        UUID id;

        @Option(names = "--out", paramLabel = "DIR", description = "folder to write (default: ${DEFAULT-VALUE})")
        Path out = Path.of("models", "default");

        @Option(names = "--name", paramLabel = "NAME", description = "name to ship it under (default: the set's own name)")
        String name;

        @Option(names = "--training", paramLabel = "FILE",
                description = "JSON object recorded as \"training\": how to reproduce it (command, seeds, data generation)")
        Path training;

        @Option(names = "--metrics", paramLabel = "FILE",
                description = "JSON object recorded as \"metrics\": what was measured (e.g. an evaluation's fused mean IoU)")
        Path metrics;

        @Override
        void validate() throws InputException, java.io.IOException {
            for (Path f : new Path[] {training, metrics}) {
                if (f != null && !Files.isRegularFile(f)) {
                    throw new InputException(f + ": no such file");
                }
            }
        }

        @Override
        int run(Connection c) throws Exception {
            UUID setId = id;
            try {
                c.client().modelSet(c.apiKey(), id);
            } catch (org.triplane.client.GatewayException e) {
                // why: a TRAIN job's id names its set once its training has started
                var job = c.client().job(c.apiKey(), id);
                if (!job.hasNonNull("modelSetId")) {
                    throw new InputException(id + " is a " + job.path("kind").asText() + " job without a model set");
                }
                setId = UUID.fromString(job.get("modelSetId").asText());
            }
            ModelSetFolder.Folder f;
            try {
                f = ModelSetExport.export(c.client(), c.apiKey(), setId, out, name,
                        training == null ? null : Files.readString(training), metrics == null ? null : Files.readString(metrics));
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage());
            }
            System.out.printf("model set %s written to %s (SHA-256 %s, %.1f MB)%n", setId, out, f.sha256(),
                    f.sizeBytes() / 1048576.0);
            if (f.sizeBytes() > REPOSITORY_LIMIT) {
                System.err.printf("warning: %.1f MB exceeds the 50 MB a shipped model set may take in the repository%n",
                        f.sizeBytes() / 1048576.0);
            }
            return ExitCode.OK;
        }
    }

    /** {@code triplane model-set fit-fusion}. */
    @Command(name = "fit-fusion", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fit the learned fusion's weights of a model set on a finished evaluate job of it and record them "
                    + "with the set: per member (the axial, coronal and sagittal networks and the atlas method) and label "
                    + "0..20 the weight of its vote, by coordinate ascent on the mean IoU over the job's labelled scans, "
                    + "starting from the best of equal weights and each member alone (so the fused result scores at least "
                    + "the best single member on those scans).",
                "Each scan's stored predictions, atlas labels and reference labels are downloaded in turn into a "
                        + "temporary folder and deleted again: one scan's volumes are held at a time. The fit takes seconds "
                        + "to minutes per study-size scan on 2 cores, growing with the voxels the members contest.",
                "The weights are recorded once and never change; a set trained by this API key's tenant only. Jobs of the "
                        + "set then fuse with them given --param fusion=learned; `model-set export` ships them."},
            exitCodeListHeading = ExitCode.HEADING,
            exitCodeList = {"0:recorded, or the set already had exactly these weights",
                "2:bad command line, or the job is not a SUCCEEDED evaluate job of the set with labelled scans",
                "3:the gateway refused (another tenant's set, weights recorded before from another fit; its message is shown)",
                ExitCode.UNREACHABLE_LINE, ExitCode.INTERRUPTED_LINE})
    static final class FitFusion extends GatewayCommand {
        @Parameters(index = "0", paramLabel = "SET_ID", description = "the model set the weights are for")
        UUID setId;

        @Option(names = "--from-job", paramLabel = "JOB", required = true,
                description = "a SUCCEEDED evaluate job of the set, on scans uploaded with labels")
        UUID jobId;

        @Option(names = "--passes", paramLabel = "N", description = "rounds of the ascent over all 84 weights "
                + "(default: ${DEFAULT-VALUE})")
        int passes = 3;

        @Option(names = "--json", description = "print the weights as recorded (the model set's fusionWeights)")
        boolean json;

        @Override
        void validate() throws InputException {
            if (passes < 0 || passes > 20) {
                throw new InputException("--passes " + passes + ": expected 0..20");
            }
        }

        @Override
        int run(Connection c) throws Exception {
            Path scratch = Files.createTempDirectory("triplane-fit-fusion");
            FusionFit.Fitted fitted;
            try {
                fitted = FusionFit.fit(c.client(), c.apiKey(), setId, jobId, passes, scratch, System.err);
            } finally {
                Files.deleteIfExists(scratch);
            }
            var recorded = c.client().recordFusionWeights(c.apiKey(), setId, fitted.document().toJson());
            if (json) {
                System.out.println(recorded.weights().toPrettyString());
                return ExitCode.OK;
            }
            WeightedVoteFit.Result r = fitted.result();
            double[] m = r.memberMeanIoU();
            System.out.printf(java.util.Locale.ROOT, "fusion weights of model set %s %s (fitted on %d scan(s) of job %s):%n"
                            + "  mean IoU learned %.4f, equal weights %.4f; axial %.4f, coronal %.4f, sagittal %.4f, atlas %.4f%n"
                            + "  jobs of the set use them with --param fusion=learned%n", setId,
                    recorded.created() ? "recorded" : "were recorded before with this fit", r.scans(), jobId, r.meanIoU(),
                    r.equalWeightsMeanIoU(), m[0], m[1], m[2], m[3]);
            return ExitCode.OK;
        }
    }
}
