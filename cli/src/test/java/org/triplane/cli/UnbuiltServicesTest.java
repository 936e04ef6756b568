package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.deploy.local.FreePorts;

/**
 * A repository whose build left the gpu-worker unpackaged: {@code stack up} and {@code demo} fail
 * naming it, and start nothing. The stack is configured through system properties, as a user's
 * environment would configure it, on free ports with an external PostgreSQL URL, so that a check
 * that let the start through could not touch a stack of the machine's defaults.
 */
class UnbuiltServicesTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();

    private final Map<String, String> saved = new LinkedHashMap<>();
    private Path repo;

    @BeforeEach
    void aRepositoryWithoutTheGpuWorkersJar() throws IOException {
        repo = dir.resolve("repo");
        for (String module : List.of("api-gateway", "preprocess-worker", "fusion-worker")) {
            Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "");
        }
        int[] free = FreePorts.pick(7);
        set("triplane.services.home", repo.toString());
        set("triplane.stack.dir", dir.resolve("stack").toString());
        set("triplane.pg.url", "jdbc:postgresql://127.0.0.1:1/none");
        set("triplane.kafka.port", Integer.toString(free[0]));
        set("triplane.kafka.controller.port", Integer.toString(free[1]));
        set("triplane.s3.port", Integer.toString(free[2]));
        set("triplane.gateway.port", Integer.toString(free[3]));
        set("triplane.worker.port", Integer.toString(free[4]));
        set("triplane.gpu.port", Integer.toString(free[5]));
        set("triplane.fusion.port", Integer.toString(free[6]));
    }

    @AfterEach
    void restore() {
        // why: should a check ever let the start through, what it started must not outlive the test
        Main.run("stack", "down");
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    @Test
    void stackUpExitsOneNamingTheServiceAndItsJarAndStartsNothing() {
        assertEquals(1, Main.run("stack", "up"), streams.err());

        String err = streams.err();
        assertTrue(err.contains("triplane: stack up failed: gpu-worker: not built: its jar "
                + repo.resolve("gpu-worker/target/quarkus-app/quarkus-run.jar") + " is missing"), err);
        assertFalse(err.contains("gateway:") || err.contains("kafka:"), "nothing else was started or named: " + err);
        assertEquals("", streams.out(), "no status JSON for a stack that is not up");
        assertFalse(Files.exists(dir.resolve("stack/logs")), "no server was launched");
    }

    @Test
    void demoExitsOneWithOneLineSayingWhatToRunBeforeDoingAnything() {
        Path out = dir.resolve("demo");

        assertEquals(1, Main.run("demo", "--out", out.toString(), "--count", "3", "--held-out", "1",
                "--size", "32", "32", "16"), streams.err());

        List<String> lines = streams.err().lines().toList();
        assertEquals(1, lines.size(), streams.err());
        assertTrue(lines.get(0).contains("gpu-worker") && lines.get(0).contains("not built")
                && lines.get(0).contains("mvn -B install -DskipTests") && lines.get(0).contains(repo.toString()), lines.get(0));
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary of a demo that did not run");
        assertEquals("", streams.out());
    }

    @Test
    void demoWithoutTheStackIsNotHeldUpByTheServices() {
        Path out = dir.resolve("demo");

        assertEquals(0, Main.run("demo", "--out", out.toString(), "--count", "1", "--size", "64", "64", "32",
                "--threads", "2", "--no-stack"), streams.err());

        assertTrue(streams.err().contains("skipped (--no-stack)"), streams.err());
        assertTrue(Files.exists(out.resolve("summary.json")));
    }

    private void set(String key, String value) {
        saved.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }
}
