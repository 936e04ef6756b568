package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.triplane.client.GatewayException;
import org.triplane.client.GatewayUnreachableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane watch JOB}: a job's progress per scan and plane until it ends. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Follow a job until it ends: per scan the state of its preprocessing, each plane's prediction "
                + "and the fusion (a train job: each plane's training and its epochs), printed again whenever "
                + "something changes. Ctrl-C stops watching; the job goes on.",
            "A gateway that stops answering (or answers 5xx) is retried for up to 30 looks in a row."},
        exitCodeListHeading = ExitCode.HEADING,
        exitCodeList = {"0:the job SUCCEEDED", "1:the job FAILED or was CANCELLED (the reasons are printed)",
            ExitCode.BAD_INPUT_LINE, ExitCode.REFUSED_LINE, ExitCode.UNREACHABLE_LINE, ExitCode.INTERRUPTED_LINE})
final class WatchCommand extends GatewayCommand {
    private static final int MAX_MISSED_LOOKS = 30;

    @Parameters(index = "0", paramLabel = "JOB", description = "job id (as `triplane submit` printed it)")
    UUID jobId;

    @Option(names = "--interval", paramLabel = "S", description = "seconds between looks (default: ${DEFAULT-VALUE})")
    double interval = 2;

    @Option(names = "--json", description = "print JSON lines instead of the table: one object per progress change "
            + "({event: progress, jobId, kind, state, elapsedSeconds, tasksDone, tasksExpected, scans: [{scanId, state, "
            + "preprocess, axial, coronal, sagittal, fusion}], training: [{task, state, progress}]}), one per scan's "
            + "transform ({event: transform, jobId, scanId, transform}) and a last one ({event: end, jobId, state, "
            + "failures}); other messages go to standard error")
    boolean json;

    @Override
    void validate() throws InputException {
        if (!(interval > 0) || interval > 3600) {
            throw new InputException("--interval " + interval + ": expected more than 0 and at most 3600 seconds");
        }
    }

    @Override
    int run(Connection c) throws Exception {
        PrintStream out = System.out;
        PrintStream say = json ? System.err : out;
        Thread hook = new Thread(() -> {
            say.println();
            say.println("watch: stopped; job " + jobId + " goes on (triplane watch " + jobId + " to follow it again)");
            say.flush();
        });
        // why: Ctrl-C ends the JVM with 130 on its own; the hook only says that the job is unaffected
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return follow(c, out);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran: the JVM is exiting anyway
            }
        }
    }

    /**
     * Once per scan whose preprocessing SUCCEEDED: how it was rotated (its transform's origin and
     * the atlas registration's method and quality), from {@code GET /api/v1/scans/{id}}. A gateway
     * that cannot say (an older one, a passing error) is simply not quoted.
     */
    private void announceTransforms(Connection c, JsonNode job, Set<String> announced, PrintStream out)
            throws InterruptedException {
        for (JsonNode t : job.path("tasks")) {
            String scanId = t.path("scanId").asText("");
            if (!t.path("kind").asText().equals("PREPROCESS") || !t.path("state").asText().equals("SUCCEEDED")
                    || scanId.isEmpty() || announced.contains(scanId)) {
                continue;
            }
            try {
                JobProgress.transformLine(c.client().scan(c.apiKey(), UUID.fromString(scanId))).ifPresent(line -> {
                    announced.add(scanId);
                    out.println(json ? JobProgressJson.transform(jobId.toString(), scanId, line) : "  scan " + scanId + ": " + line);
                });
            } catch (java.io.IOException e) {
                announced.add(scanId);
            }
        }
        out.flush();
    }

    private int follow(Connection c, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        List<String> shown = List.of();
        Set<String> announced = new HashSet<>();
        int missed = 0;
        while (true) {
            JsonNode job;
            JsonNode training = null;
            try {
                job = c.client().job(c.apiKey(), jobId);
                if (job.path("kind").asText().equals("TRAIN")) {
                    training = c.client().training(c.apiKey(), jobId);
                }
                missed = 0;
            } catch (GatewayUnreachableException | GatewayException e) {
                boolean transientFailure = e instanceof GatewayUnreachableException || ((GatewayException) e).status() >= 500;
                if (!transientFailure || ++missed > MAX_MISSED_LOOKS) {
                    throw e;
                }
                System.err.println("watch: " + e.getMessage() + "; trying again");
                Thread.sleep(Math.round(interval * 1000));
                continue;
            }
            List<String> lines = JobProgress.render(job, training);
            if (!lines.equals(shown)) {
                double elapsed = (System.nanoTime() - t0) / 1e9;
                if (json) {
                    out.println(JobProgressJson.progress(job, training, elapsed));
                } else {
                    out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed, lines.get(0));
                    lines.subList(1, lines.size()).forEach(out::println);
                }
                out.flush();
                shown = lines;
            }
            announceTransforms(c, job, announced, out);
            if (JobProgress.terminal(job)) {
                String state = job.path("state").asText();
                if (json) {
                    out.println(JobProgressJson.end(job));
                    out.flush();
                }
                if (state.equals("SUCCEEDED")) {
                    (json ? System.err : out).println("watch: job " + jobId + " SUCCEEDED; its outputs: triplane fetch " + jobId + " --out DIR");
                    return ExitCode.OK;
                }
                System.err.println("watch: job " + jobId + " " + state);
                JobProgress.failures(job).forEach(f -> System.err.println("  " + f));
                return ExitCode.JOB_FAILED;
            }
            Thread.sleep(Math.round(interval * 1000));
        }
    }
}
