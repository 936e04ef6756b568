package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON shape that {@code triplane stack status} prints. */
class StackStatusTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedStackShowsEveryComponentStoppedWithItsUrl() {
        StackConfig c = StackConfig.builder().setDataDir(dir).optServicesHome(dir.resolve("no-services")).build();

        StackStatus s = new LocalStack(c).status();
        Map<String, Object> json = s.toMap();

        assertEquals(List.of("postgres", "kafka", "objectStore", "gateway", "preprocessWorker", "gpuWorker", "fusionWorker",
                "dataDir"), List.copyOf(json.keySet()));
        assertEquals(Map.of("state", "stopped", "url", c.jdbcUrl(), "log", c.logFile("postgres").toString()),
                withoutNulls(json.get("postgres")));
        assertEquals(Map.of("state", "stopped", "bootstrap", "127.0.0.1:19092", "log", c.logFile("kafka").toString()),
                withoutNulls(json.get("kafka")));
        assertEquals(Map.of("state", "stopped", "endpoint", "http://127.0.0.1:18080", "bucket", "triplane",
                "log", c.logFile("objectstore").toString()), withoutNulls(json.get("objectStore")));
        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:18088", "hint", QuarkusService.BUILD_HINT),
                json.get("gateway"));
        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:18090", "hint", QuarkusService.BUILD_HINT),
                json.get("preprocessWorker"));
        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:18092", "hint", QuarkusService.BUILD_HINT),
                json.get("gpuWorker"));
        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:18094", "hint", QuarkusService.BUILD_HINT),
                json.get("fusionWorker"));
        assertEquals(dir.toString(), json.get("dataDir"));
        assertTrue(((Map<?, ?>) json.get("kafka")).containsKey("pid"), "pid is always present for a managed component");
        assertTrue(s.allStopped());
        assertFalse(s.allUp());
    }

    @Test
    void aStackOfTwoGpuWorkersListsEachWithItsOwnUrlLogAndPidFile() {
        StackConfig c = StackConfig.builder().setDataDir(dir).optServicesHome(dir.resolve("no-services")).optGpuWorkers(2).build();

        LocalStack stack = new LocalStack(c);
        Map<String, Object> json = stack.status().toMap();

        assertEquals(List.of("postgres", "kafka", "objectStore", "gateway", "preprocessWorker", "gpuWorker", "gpuWorker2",
                "fusionWorker", "dataDir"), List.copyOf(json.keySet()));
        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:18092", "hint", QuarkusService.BUILD_HINT),
                json.get("gpuWorker"));
        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:18192", "hint", QuarkusService.BUILD_HINT),
                json.get("gpuWorker2"));
        GpuWorkerComponent second = new GpuWorkerComponent(c, 2);
        assertEquals("gpu-worker-2", second.name());
        assertEquals(c.logFile("gpu-worker-2"), second.log());
        assertEquals(List.of(18192), second.ports().stream().map(Ports.Use::port).toList());
        assertEquals(List.of(dir.resolve("no-services/api-gateway/target/quarkus-app/quarkus-run.jar"),
                dir.resolve("no-services/preprocess-worker/target/quarkus-app/quarkus-run.jar"),
                dir.resolve("no-services/gpu-worker/target/quarkus-app/quarkus-run.jar"),
                dir.resolve("no-services/fusion-worker/target/quarkus-app/quarkus-run.jar")), stack.serviceJars(),
                "one jar for both gpu-workers");
    }

    @Test
    void aBuiltServiceThatDoesNotRunIsStopped() throws Exception {
        Path jar = dir.resolve("repo/api-gateway/target/quarkus-app/quarkus-run.jar");
        java.nio.file.Files.createDirectories(jar.getParent());
        java.nio.file.Files.writeString(jar, "");
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(dir.resolve("repo")).build();

        Map<String, Object> json = new LocalStack(c).status().toMap();

        assertEquals("stopped", ((Map<?, ?>) json.get("gateway")).get("state"));
        assertEquals(c.logFile("gateway").toString(), ((Map<?, ?>) json.get("gateway")).get("log"));
        assertEquals("not-built", ((Map<?, ?>) json.get("preprocessWorker")).get("state"));
    }

    @Test
    void aMissingGpuWorkerJarIsNotBuiltWhileTheBuiltServicesAreStopped() throws Exception {
        for (String module : List.of("api-gateway", "preprocess-worker", "fusion-worker")) {
            fakeJar(dir.resolve("repo"), module);
        }
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(dir.resolve("repo"))
                .optGpuWorkerPort(28092).optFusionWorkerPort(28094).build();

        StackStatus s = new LocalStack(c).status();
        Map<String, Object> json = s.toMap();

        assertEquals(Map.of("state", "not-built", "url", "http://127.0.0.1:28092", "hint", QuarkusService.BUILD_HINT),
                json.get("gpuWorker"));
        assertEquals(Map.of("state", "stopped", "url", "http://127.0.0.1:28094",
                "log", dir.resolve("data/logs/fusion-worker.log").toString()), withoutNulls(json.get("fusionWorker")));
        assertEquals("stopped", ((Map<?, ?>) json.get("gateway")).get("state"));
        assertEquals("stopped", ((Map<?, ?>) json.get("preprocessWorker")).get("state"));
        assertEquals(ComponentStatus.State.NOT_BUILT, s.component("gpu-worker").orElseThrow().state());
        assertFalse(s.component("gpu-worker").orElseThrow().managed());
    }

    @Test
    void aStackOfTheServersOnlyListsNoService() throws Exception {
        for (String module : List.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker")) {
            fakeJar(dir.resolve("repo"), module);
        }
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(dir.resolve("repo"))
                .optInfrastructureOnly(true).build();

        StackStatus s = new LocalStack(c).status();

        assertEquals(List.of("postgres", "kafka", "objectStore", "dataDir"), List.copyOf(s.toMap().keySet()));
        assertEquals(List.of("postgres", "kafka", "objectstore"), s.components().stream().map(ComponentStatus::name).toList());
        assertTrue(s.allStopped());
    }

    @Test
    void anExternalServerHasNoPidOrLog() {
        ComponentStatus external = new ComponentStatus("postgres", ComponentStatus.State.RUNNING, false, null,
                Map.of("url", "jdbc:postgresql://db:5432/t", "external", true), null);

        assertEquals(Map.of("state", "running", "url", "jdbc:postgresql://db:5432/t", "external", true), external.toMap());
    }

    @Test
    void aStalePidFileCountsAsStopped() throws Exception {
        StackConfig c = StackConfig.builder().setDataDir(dir).build();
        java.nio.file.Files.createDirectories(c.pidFile("kafka").getParent());
        // why: the pid of this test JVM, alive but not a Kafka broker of this data directory
        java.nio.file.Files.writeString(c.pidFile("kafka"), ProcessHandle.current().pid() + "\n");

        assertEquals("stopped", ((Map<?, ?>) new LocalStack(c).status().toMap().get("kafka")).get("state"));
    }

    private static void fakeJar(Path repo, String module) throws java.io.IOException {
        Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        java.nio.file.Files.createDirectories(jar.getParent());
        java.nio.file.Files.writeString(jar, "");
    }

    private static Map<String, Object> withoutNulls(Object component) {
        Map<String, Object> m = new LinkedHashMap<>();
        ((Map<?, ?>) component).forEach((k, v) -> {
            if (v != null) {
                m.put((String) k, v);
            }
        });
        return m;
    }
}
