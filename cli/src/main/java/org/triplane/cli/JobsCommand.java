package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triplane jobs}: the tenant's audit list of jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true, sortOptions = false, subcommands = JobCancelCommand.class,
        description = "The audit list of this tenant's jobs, newest first: id, kind, state, model set, created, started, "
                + "finished, error. Filters by state, model set and creation time. `jobs cancel JOB` cancels one.",
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {ExitCode.OK_LINE, ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE})
final class JobsCommand extends GatewayCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> STATES = List.of("SUBMITTED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");

    @Option(names = "--state", paramLabel = "S", description = "only jobs in this state: submitted, running, succeeded, failed, cancelled")
    String state;

    @Option(names = "--model-set", paramLabel = "ID", description = "only jobs that ran or produced this model set")
    UUID modelSet;

    @Option(names = "--from", paramLabel = "ISO", description = "created at or after this instant, e.g. 2026-01-31T00:00:00Z")
    String from;

    @Option(names = "--to", paramLabel = "ISO", description = "created before this instant")
    String to;

    @Option(names = "--limit", paramLabel = "N", description = "at most N jobs, read page by page (default: ${DEFAULT-VALUE})")
    int limit = 100;

    @Option(names = "--json", description = "print the gateway's JSON array of job summaries (their parameters are "
            + "null in a list: `triplane fetch JOB` writes the job with them to job.json)")
    boolean json;

    @Override
    void validate() throws InputException {
        String s = state == null ? null : state.toUpperCase(Locale.ROOT);
        if (s != null && !STATES.contains(s)) {
            throw new InputException("--state " + state + ": expected one of " + String.join(", ", STATES).toLowerCase(Locale.ROOT));
        }
        instant("--from", from);
        instant("--to", to);
        if (limit < 1) {
            throw new InputException("--limit " + limit + ": expected 1 or more");
        }
    }

    @Override
    int run(Connection c) throws Exception {
        String s = state == null ? null : state.toUpperCase(Locale.ROOT);
        List<JsonNode> jobs = c.client().jobs(c.apiKey(), new GatewayClient.JobFilter(s, modelSet, from, to, limit));
        if (modelSet != null) {
            // why: a gateway that does not know the modelSetId filter ignores it; the rows say which set they ran
            jobs = jobs.stream().filter(j -> modelSet.toString().equals(j.path("modelSetId").asText())).toList();
        }
        if (json) {
            System.out.println(JSON.writeValueAsString(jobs));
            return ExitCode.OK;
        }
        Table t = new Table("job", "kind", "state", "model set", "created", "started", "finished", "error");
        for (JsonNode j : jobs) {
            t.row(j.path("id").asText(), j.path("kind").asText(), j.path("state").asText(), text(j, "modelSetId"),
                    text(j, "createdAt"), text(j, "startedAt"), text(j, "finishedAt"), oneLine(text(j, "error")));
        }
        t.print(System.out);
        System.err.println("jobs: " + jobs.size() + (jobs.size() == limit ? " (the limit; --limit shows more)" : ""));
        return ExitCode.OK;
    }

    private static void instant(String option, String value) throws InputException {
        if (value == null) {
            return;
        }
        try {
            Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InputException(option + " " + value + ": not an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return null;
        }
        String l = s.replaceAll("\\s+", " ").strip();
        return l.length() > 80 ? l.substring(0, 77) + "..." : l;
    }
}
