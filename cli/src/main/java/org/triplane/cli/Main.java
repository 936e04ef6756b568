package org.triplane.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code triplane} command line. Every command prints its result on standard output (JSON where
 * a script reads it) and, on failure, one line on standard error naming the file and the problem,
 * with exit code 1 (2 for a usage error). The job commands that talk to the gateway use the finer
 * codes of {@link ExitCode}.
 */
@Command(name = "triplane", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "ASPECTS-region segmentation of brain CT: imaging tools and the job pipeline.",
        subcommands = {InfoCommand.class, RotateCommand.class, WindowCommand.class, PlanesCommand.class,
            PhantomCommand.class, RegisterCommand.class, DemoCommand.class, StackCommand.class, SubmitCommand.class, WatchCommand.class,
            FetchCommand.class, PredictCommand.class, JobsCommand.class, ScansCommand.class, ModelsCommand.class, ModelSetCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The job commands (submit, watch, fetch, predict, jobs, scans, models, model-set export) reach the gateway given by --gateway / "
                + "TRIPLANE_GATEWAY, else the local stack's; the API key by --api-key / TRIPLANE_API_KEY, else a tenant "
                + "kept for the local stack. Their exit codes: 0 done, 1 job failed or output incomplete, 2 bad input, "
                + "3 gateway refused, 4 gateway unreachable, 130 interrupted."})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("triplane: " + describe(ex));
            return 1;
        });
        return cl.execute(args);
    }

    static String describe(Throwable ex) {
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (raise -Xmx through TRIPLANE_JAVA_OPTS)";
        }
        if (ex instanceof IOException || ex instanceof IllegalArgumentException || ex instanceof InputException) {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }
}
