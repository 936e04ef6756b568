package org.triplane.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.triplane.client.modelset.ModelSetExport;
import org.triplane.client.modelset.ModelSetFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane model-set}: the model set that ships with the project. */
@Command(name = "model-set", mixinStandardHelpOptions = true,
        description = "The model set that ships with the project: a folder (models/default) that the gateway registers at "
                + "every start as the default model set of every tenant, run by segment and evaluate jobs that name none.",
        subcommands = {ModelSetCommand.Export.class})
final class ModelSetCommand {

    /** {@code triplane model-set export}. */
    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Download a trained model set (or the one a TRAIN job produced) from the gateway into a folder: "
                    + "model-set.json (hyper-parameters, seeds, code version, validation metrics, and what --training and "
                    + "--metrics add) and axial.params, coronal.params, sagittal.params (the weights, checked by SHA-256). "
                    + "Written into models/default, the stack registers it as the default at its next start.",
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
}
