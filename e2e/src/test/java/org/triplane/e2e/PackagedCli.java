package org.triplane.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged command line ({@code cli/target/triplane-cli.jar} under the services home) run as its
 * own process, as a user runs {@code ./triplane}.
 *
 * @param exit its exit code
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
record PackagedCli(int exit, String out, String err) {
    /** Longest a command of these tests may take: a whole {@code predict} of a small phantom on two cores included. */
    private static final long TIMEOUT_MINUTES = 8;

    /**
     * Runs {@code triplane ARGS} and waits for it to end.
     *
     * @param dir  where its standard output and error are kept (the test's temporary directory)
     * @param args the command and its options
     */
    static PackagedCli run(Path dir, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("triplane.services.home", ".."), "cli", "target", "triplane-cli.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Path err = Files.createTempFile(dir, "cli-", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("triplane " + String.join(" ", args) + " did not end within " + TIMEOUT_MINUTES
                    + " min; its output: " + out + ", " + err);
        }
        return new PackagedCli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
