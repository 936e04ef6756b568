package org.triplane.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code triplane} launcher's decision to build, run for real in a copy of the repository's
 * layout. {@code mvn} on its PATH is a stand-in that records the call and makes the jars it is told
 * to (the real build takes minutes); {@code java} is a stand-in that records the command line it
 * would run, except for the list of the services' jars, which it gets from the real
 * {@code ServiceJars} on this test's class path.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {
    private static final String CLI_JAR = "cli/target/triplane-cli.jar";
    private static final String GPU_JAR = "gpu-worker/target/quarkus-app/quarkus-run.jar";
    private static final List<String> EVERY_JAR = List.of(CLI_JAR, "api-gateway/target/quarkus-app/quarkus-run.jar",
            "preprocess-worker/target/quarkus-app/quarkus-run.jar", GPU_JAR,
            "fusion-worker/target/quarkus-app/quarkus-run.jar");
    private static final Path STAMP = Path.of("target/triplane-build.complete");

    @TempDir
    Path dir;

    private Path root;
    private Path bin;
    private Process hanging;

    /** What one run of the launcher did. */
    private record Run(int exit, String stderr, List<String> calls) {
        boolean built() {
            return calls.stream().anyMatch(c -> c.startsWith("mvn "));
        }

        boolean ranTheCommandLine() {
            return calls.stream().anyMatch(c -> c.startsWith("java ") && c.contains("-jar ") && c.endsWith("--version"));
        }
    }

    @BeforeEach
    void aRepositoryLayoutWithStandIns() throws IOException {
        root = dir.resolve("repo");
        Path launcher = Path.of(System.getProperty("triplane.repository", "..")).resolve("triplane");
        Files.createDirectories(root);
        Files.copy(launcher, root.resolve("triplane"));
        for (String source : List.of("pom.xml", "deploy/pom.xml", "cli/pom.xml",
                "cli/src/main/java/org/triplane/cli/Main.java", "gpu-worker/src/main/java/Worker.java")) {
            Path f = root.resolve(source);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "source");
            // why: well before any build of the test, so that only what a test changes counts as newer
            Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        }
        bin = dir.resolve("bin");
        Files.createDirectories(bin);
        script("mvn", """
                #!/usr/bin/env bash
                echo "mvn $*" >>"$STAND_IN_CALLS"
                for jar in $MVN_MAKES; do
                  mkdir -p "$(dirname "$STAND_IN_ROOT/$jar")"
                  echo jar >"$STAND_IN_ROOT/$jar"
                done
                if [ -n "${MVN_HANGS:-}" ]; then
                  exec sleep 600
                fi
                exit "${MVN_EXIT:-0}"
                """);
        script("java", """
                #!/usr/bin/env bash
                if [ "${3:-}" = org.triplane.deploy.local.ServiceJars ]; then
                  exec "$REAL_JAVA" -cp "$TEST_CLASS_PATH" org.triplane.deploy.local.ServiceJars "$4"
                fi
                echo "java $*" >>"$STAND_IN_CALLS"
                """);
    }

    @AfterEach
    void stopWhatIsLeft() {
        if (hanging != null) {
            hanging.descendants().forEach(ProcessHandle::destroyForcibly);
            hanging.destroyForcibly();
        }
    }

    @Test
    void theFirstUseBuildsAndRecordsTheServicesJarsThenTheNextRunsOnly() throws Exception {
        Run first = launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR)));

        assertEquals(0, first.exit(), first.stderr());
        assertTrue(first.built() && first.ranTheCommandLine(), first.calls().toString());
        assertTrue(first.stderr().contains("no complete build yet"), first.stderr());
        assertEquals(EVERY_JAR.subList(1, EVERY_JAR.size()), Files.readAllLines(root.resolve(STAMP)),
                "the stamp lists the services' jars as the stack finds them");

        Run second = launch(Map.of());

        assertEquals(0, second.exit(), second.stderr());
        assertFalse(second.built(), second.calls().toString());
        assertTrue(second.ranTheCommandLine(), second.calls().toString());
    }

    @Test
    void aMissingServiceJarBuildsAgain() throws Exception {
        assertEquals(0, launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR))).exit());
        Files.delete(root.resolve(GPU_JAR));

        Run run = launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR)));

        assertTrue(run.built(), run.calls().toString());
        assertTrue(run.stderr().contains(GPU_JAR + " is missing"), run.stderr());
        assertEquals(0, run.exit(), run.stderr());
    }

    @Test
    void aSourceNewerThanTheBuildBuildsAgain() throws Exception {
        assertEquals(0, launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR))).exit());
        Path source = root.resolve("gpu-worker/src/main/java/Worker.java");
        Files.setLastModifiedTime(source, FileTime.from(Files.getLastModifiedTime(root.resolve(STAMP)).toInstant()
                .plusSeconds(1)));

        Run run = launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR)));

        assertTrue(run.built() && run.stderr().contains("sources changed"), run.stderr());
    }

    @Test
    void aBuildKilledAfterTheCommandLinesJarButBeforeTheWorkersIsDoneAgain() throws Exception {
        hanging = start(Map.of("MVN_MAKES", CLI_JAR, "MVN_HANGS", "yes"), List.of("--version"));
        awaitFile(root.resolve(CLI_JAR));
        hanging.descendants().forEach(ProcessHandle::destroyForcibly);
        hanging.destroyForcibly();
        assertTrue(hanging.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(root.resolve(STAMP)), "a killed build left a stamp");

        Run again = launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR)));

        assertTrue(again.built(), "the cli jar alone was taken for a build: " + again.calls());
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(Files.exists(root.resolve(STAMP)));
    }

    @Test
    void aFailedBuildExitsNonZeroAndIsDoneAgain() throws Exception {
        Run failed = launch(Map.of("MVN_MAKES", CLI_JAR, "MVN_EXIT", "1"));

        assertEquals(1, failed.exit());
        assertTrue(failed.stderr().contains("build failed; see " + root.resolve(".triplane-build.log")), failed.stderr());
        assertFalse(failed.ranTheCommandLine(), failed.calls().toString());
        assertFalse(Files.exists(root.resolve(STAMP)));

        Run again = launch(Map.of("MVN_MAKES", String.join(" ", EVERY_JAR)));

        assertTrue(again.built(), again.calls().toString());
        assertEquals(0, again.exit(), again.stderr());
    }

    @Test
    void aBuildThatSucceedsWithoutAServiceJarIsNotComplete() throws Exception {
        List<String> noGpuWorker = EVERY_JAR.stream().filter(j -> !j.equals(GPU_JAR)).toList();

        Run run = launch(Map.of("MVN_MAKES", String.join(" ", noGpuWorker)));

        assertEquals(1, run.exit());
        assertTrue(run.stderr().contains("the build did not make " + GPU_JAR), run.stderr());
        assertFalse(run.ranTheCommandLine(), run.calls().toString());
        assertFalse(Files.exists(root.resolve(STAMP)));
    }

    private Run launch(Map<String, String> env) throws Exception {
        Files.deleteIfExists(calls());
        Process p = start(env, List.of("--version"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        String stderr = Files.readString(dir.resolve("stderr"));
        List<String> calls = Files.exists(calls()) ? Files.readAllLines(calls()) : List.of();
        return new Run(p.exitValue(), stderr, calls);
    }

    private Process start(Map<String, String> env, List<String> args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("bash", root.resolve("triplane").toString()),
                args.stream()).toList());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("STAND_IN_ROOT", root.toString());
        pb.environment().put("STAND_IN_CALLS", calls().toString());
        pb.environment().put("REAL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("TEST_CLASS_PATH", System.getProperty("java.class.path"));
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        return pb.start();
    }

    private Path calls() {
        return dir.resolve("calls");
    }

    private void script(String name, String text) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void awaitFile(Path file) {
        await(file + " made").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(file));
    }
}
