package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane scans}: this tenant's scans on the gateway. */
@Command(name = "scans", mixinStandardHelpOptions = true,
        description = "This tenant's scans on the gateway: delete one, with everything derived from it.",
        subcommands = ScansCommand.Delete.class)
final class ScansCommand {

    /** {@code triplane scans delete SCAN}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Delete a scan for the retention of patient data: its objects (as uploaded, derived, and every "
                    + "job's results for it) and its rows go; a deletion record stays with who, when and the SHA-256 of "
                    + "each object removed (printed with --json). Refused (exit 3) while a submitted or running job uses "
                    + "the scan: cancel it first (triplane jobs cancel JOB).",
            exitCodeListHeading = ExitCode.HEADING,
            exitCodeList = {ExitCode.OK_LINE, ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE})
    static final class Delete extends GatewayCommand {

        @Parameters(paramLabel = "SCAN", description = "the scan's id")
        UUID scan;

        @Option(names = "--json", description = "print the deletion record as the gateway answers it")
        boolean json;

        @Override
        int run(Connection c) throws Exception {
            JsonNode record = c.client().deleteScan(c.apiKey(), scan);
            System.out.println(json ? Json.render(record) : "scan " + scan + " deleted: " + record.path("objects").size()
                    + " objects removed, recorded as deleted by " + record.path("deletedBy").asText() + " at "
                    + record.path("deletedAt").asText());
            return ExitCode.OK;
        }
    }
}
