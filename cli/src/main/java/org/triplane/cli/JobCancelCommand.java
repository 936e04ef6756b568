package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane jobs cancel JOB}: stops a job and its tasks. */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cancel a submitted or running job: it, its waiting and running tasks and its unfinished scans "
                + "become CANCELLED (a worker running a task stops at its next heartbeat), recorded in the job's "
                + "transitions with this API key as actor. Cancelling a cancelled job again changes nothing; a job that "
                + "already succeeded or failed is refused (exit 3).",
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {ExitCode.OK_LINE, ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE})
final class JobCancelCommand extends GatewayCommand {

    @Parameters(paramLabel = "JOB", description = "the job's id")
    UUID job;

    @Option(names = "--json", description = "print the cancelled job as the gateway answers it")
    boolean json;

    @Override
    int run(Connection c) throws Exception {
        JsonNode cancelled = c.client().cancelJob(c.apiKey(), job);
        System.out.println(json ? Json.render(cancelled) : "job " + job + " " + cancelled.path("state").asText());
        return ExitCode.OK;
    }
}
