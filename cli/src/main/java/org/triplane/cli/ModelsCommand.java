package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triplane models}: the model registry. */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The model registry (shared by all tenants), newest first: model set, fold (i/k for one fold of "
                + "a k-fold training, else -), plane, architecture, validation mean IoU, created, model id. A set with a model for each plane can run a segment or "
                + "evaluate job: triplane submit DIR --model-set ID.",
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {ExitCode.OK_LINE, ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE})
final class ModelsCommand extends GatewayCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--limit", paramLabel = "N", description = "at most N models, 1 to 1000 (default: ${DEFAULT-VALUE})")
    int limit = 100;

    @Option(names = "--json", description = "print the gateway's JSON array of models")
    boolean json;

    @Override
    void validate() throws InputException {
        if (limit < 1 || limit > 1000) {
            throw new InputException("--limit " + limit + ": expected 1 to 1000");
        }
    }

    @Override
    int run(Connection c) throws Exception {
        List<JsonNode> models = c.client().models(c.apiKey(), limit);
        if (json) {
            System.out.println(JSON.writeValueAsString(models));
            return ExitCode.OK;
        }
        Table t = new Table("model set", "fold", "plane", "architecture", "val. mean IoU", "created", "model");
        for (JsonNode m : models) {
            JsonNode iou = m.path("validationMetrics").path("meanIoU");
            t.row(JobsCommand.text(m, "modelSetId"), fold(m), JobsCommand.text(m, "plane"), JobsCommand.text(m, "architecture"),
                    iou.isNumber() ? String.format(Locale.ROOT, "%.3f", iou.asDouble()) : null, JobsCommand.text(m, "createdAt"),
                    JobsCommand.text(m, "id"));
        }
        t.print(System.out);
        System.err.println("models: " + models.size() + (models.isEmpty() ? " (train some: triplane submit DIR --kind train)" : ""));
        return ExitCode.OK;
    }

    /** {@code i/k} for a model of fold i of a k-fold training, else {@code null} (printed as a dash). */
    static String fold(JsonNode model) {
        return model.hasNonNull("fold") && model.hasNonNull("foldCount")
                ? model.get("fold").asInt() + "/" + model.get("foldCount").asInt() : null;
    }
}
