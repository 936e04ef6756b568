package org.triplane.deploy.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the stack launches each service: JVM options, settings, environment and start timeout. */
class ServiceCommandTest {
    @TempDir
    Path dir;

    @Test
    void theGpuWorkerGetsAThreeGigabyteHeapOfflineDjlAndAWorkDirOfItsOwn() {
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optGpuWorkerPort(28092).build();
        Path jar = dir.resolve("gpu-worker.jar");

        List<String> cmd = new GpuWorkerComponent(c).command(jar);

        assertTrue(cmd.contains("-Xmx3g"), cmd.toString());
        assertFalse(cmd.contains("-Xmx384m"), cmd.toString());
        assertTrue(cmd.indexOf("-Dai.djl.offline=true") < cmd.indexOf("-jar"), cmd.toString());
        assertTrue(cmd.contains("-Dquarkus.http.port=28092"), cmd.toString());
        assertTrue(cmd.contains("-Dtriplane.gpu.work-dir=" + dir.resolve("data/gpu-worker/work")), cmd.toString());
        assertTrue(cmd.contains("-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:15432/triplane"), cmd.toString());
        assertTrue(cmd.contains("-Dtriplane.kafka.bootstrap=127.0.0.1:19092"), cmd.toString());
        assertTrue(cmd.contains("-Dtriplane.s3.bucket=triplane"), cmd.toString());
        assertTrue(cmd.stream().noneMatch(a -> a.startsWith("-Dtriplane.gpu.device")), "the device stays auto: " + cmd);
        assertEquals(List.of("-jar", jar.toString()), cmd.subList(cmd.size() - 2, cmd.size()));
        assertEquals(Map.of("OMP_WAIT_POLICY", "PASSIVE", "DNNL_MAX_CPU_ISA", "SSE41", "GLIBC_TUNABLES",
                "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1"),
                new GpuWorkerComponent(c).environment());
    }

    @Test
    void theSecondGpuWorkerHasItsOwnPortWorkDirAndCommandLineMarker() {
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optGpuWorkerPort(28092).optGpuWorkers(2).build();
        Path jar = dir.resolve("gpu-worker.jar");

        List<String> cmd = new GpuWorkerComponent(c, 2).command(jar);

        assertTrue(cmd.contains("-Dquarkus.http.port=28192"), cmd.toString());
        assertTrue(cmd.contains("-Dtriplane.gpu.work-dir=" + dir.resolve("data/gpu-worker-2/work")), cmd.toString());
        // why: `down` tells the two processes apart by this marker on their command lines
        assertTrue(cmd.contains("-Dstack.component=" + dir.resolve("data/gpu-worker-2")), cmd.toString());
        assertTrue(cmd.contains("-Xmx3g"), cmd.toString());
    }

    @Test
    void theGatewayRunsWithItsStatedHeapAndTheOptionsItsTestsReuse() {
        StackConfig c = StackConfig.builder().setDataDir(dir).build();

        assertEquals("384m", StackConfig.GATEWAY_MAX_HEAP);
        assertEquals(StackConfig.GATEWAY_MAX_HEAP, new GatewayComponent(c).maxHeap());
        assertEquals(List.of("-Xms32m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true"),
                LocalStack.gatewayJvmOptions());
    }

    @Test
    void theWorkersGetTheOptimisingCompilerAndTheGatewayTheQuickStart() {
        StackConfig c = StackConfig.builder().setDataDir(dir).build();
        Path jar = dir.resolve("x.jar");

        for (QuarkusService worker : List.of(new PreprocessWorkerComponent(c), new GpuWorkerComponent(c),
                new FusionWorkerComponent(c))) {
            assertFalse(worker.command(jar).contains("-XX:TieredStopAtLevel=1"), worker.name());
            assertTrue(worker.command(jar).contains("-XX:+UseSerialGC"), worker.name());
        }
        assertTrue(LocalStack.gatewayJvmOptions().contains("-XX:TieredStopAtLevel=1"));
    }

    @Test
    void theOtherWorkersTakeTheWorkerSettingsAndTheFusionWorkerTheHeapOfAStudySizeScan() {
        StackConfig c = StackConfig.builder().setDataDir(dir).build();
        Path jar = dir.resolve("x.jar");

        assertTrue(new PreprocessWorkerComponent(c).command(jar).contains("-Xmx" + StackConfig.PREPROCESS_MAX_HEAP));
        assertTrue(new FusionWorkerComponent(c).command(jar).contains("-Xmx" + StackConfig.FUSION_MAX_HEAP));
        for (QuarkusService worker : List.of(new PreprocessWorkerComponent(c), new FusionWorkerComponent(c))) {
            List<String> cmd = worker.command(jar);

            assertFalse(cmd.contains("-Dai.djl.offline=true"), cmd.toString());
            assertTrue(cmd.contains("-Dtriplane.s3.endpoint=http://127.0.0.1:18080"), cmd.toString());
            assertEquals("triplane-local-worker", worker.processEnvironment().get("QUARKUS_DATASOURCE_PASSWORD"), worker.name());
            assertEquals(Map.of(), worker.environment(), worker.name());
        }
        assertTrue(new FusionWorkerComponent(c).command(jar).contains("-Dquarkus.http.port=18094"));
        assertTrue(new PreprocessWorkerComponent(c).command(jar).contains("-Dquarkus.http.port=18090"));
    }

    @Test
    void noSecretIsOnAnyCommandLineAndEachReachesItsServiceInTheEnvironment() throws IOException {
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data"))
                .optPostgresPassword("owner-password-" + java.util.UUID.randomUUID()).build();
        String adminToken = "admin-token-" + java.util.UUID.randomUUID();
        Files.createDirectories(c.propertiesFile().getParent());
        StackProperties.write(c, adminToken);
        Path jar = dir.resolve("x.jar");
        List<String> secrets = List.of(adminToken, c.postgresPassword(), StackConfig.LOCAL_APP_DB_PASSWORD,
                StackConfig.LOCAL_WORKER_DB_PASSWORD);
        for (QuarkusService service : List.of(new GatewayComponent(c), new PreprocessWorkerComponent(c),
                new GpuWorkerComponent(c), new FusionWorkerComponent(c))) {
            String line = String.join(" ", service.command(jar));
            for (String secret : secrets) {
                assertFalse(line.contains(secret), service.name() + "'s command line shows a secret: " + line);
            }
            assertFalse(line.contains("secret-key="), service.name() + "'s command line shows the object store's secret: "
                    + line);
        }
        Map<String, String> gateway = new GatewayComponent(c).processEnvironment();
        assertEquals(adminToken, gateway.get("TRIPLANE_ADMIN_TOKEN"));
        assertEquals(c.postgresPassword(), gateway.get("TRIPLANE_DATABASE_OWNER_PASSWORD"));
        assertEquals(c.s3SecretKey(), gateway.get("TRIPLANE_OBJECT_STORE_SECRET_KEY"));
        assertEquals(StackConfig.LOCAL_WORKER_DB_PASSWORD, gateway.get("TRIPLANE_DATABASE_WORKER_PASSWORD"));
        assertEquals(c.s3SecretKey(), new GpuWorkerComponent(c).processEnvironment().get("TRIPLANE_S3_SECRET_KEY"));
        assertEquals("PASSIVE", new GpuWorkerComponent(c).processEnvironment().get("OMP_WAIT_POLICY"),
                "the service's own environment stays");
    }

    @Test
    void theGpuWorkerMayTakeAMinuteLongerToStart() {
        StackConfig c = StackConfig.builder().setDataDir(dir).optStartTimeout(Duration.ofSeconds(90)).build();

        assertEquals(Duration.ofSeconds(150), new GpuWorkerComponent(c).startTimeout());
        assertEquals(Duration.ofSeconds(90), new FusionWorkerComponent(c).startTimeout());
        assertEquals(Duration.ofSeconds(90), new PreprocessWorkerComponent(c).startTimeout());
    }

    /** A jar standing in for the gpu-worker reports what its process was given. */
    @Test
    void theStartedProcessSeesTheEnvironmentTheOptionsAndTheHeap() throws Exception {
        Path repo = dir.resolve("repo");
        writeProbeJar(repo.resolve("gpu-worker/target/quarkus-app/quarkus-run.jar"), "Probe", PROBE);
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(repo).build();
        GpuWorkerComponent gpu = new GpuWorkerComponent(c);

        gpu.start(new StartContext(Instant.now(), Duration.ofSeconds(10), () -> false, StackListener.NONE));
        Path report = dir.resolve("data/gpu-worker/probe.txt");
        await("the probe's report " + report).atMost(Duration.ofSeconds(20)).until(() -> Files.exists(report));
        gpu.stop();

        List<String> lines = Files.readAllLines(report);
        assertEquals("PASSIVE", lines.get(0), "OMP_WAIT_POLICY");
        assertEquals("true", lines.get(1), "ai.djl.offline");
        assertEquals(dir.resolve("data/gpu-worker/work").toString(), lines.get(2), "triplane.gpu.work-dir");
        long maxHeap = Long.parseLong(lines.get(3));
        // why: the JVM reports the heap less one survivor space, so 3g shows as a little under 3072 MiB
        assertTrue(maxHeap > 2800L << 20 && maxHeap <= 3072L << 20, "max heap " + maxHeap);
        assertEquals("glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1", lines.get(4),
                "GLIBC_TUNABLES");
    }

    /**
     * The first gpu-worker's directory is a prefix of the second's ({@code gpu-worker}, {@code gpu-worker-2}): a pid
     * file of the first that names the second's process must not make it count as the first.
     */
    @Test
    void theFirstGpuWorkerDoesNotTakeTheSecondsProcessForItsOwn() throws Exception {
        Path repo = dir.resolve("repo");
        writeProbeJar(repo.resolve("gpu-worker/target/quarkus-app/quarkus-run.jar"), "Idle", IDLE);
        StackConfig c = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(repo).optGpuWorkers(2).build();
        GpuWorkerComponent first = new GpuWorkerComponent(c, 1);
        GpuWorkerComponent second = new GpuWorkerComponent(c, 2);

        long pid = second.start(new StartContext(Instant.now(), Duration.ofSeconds(10), () -> false, StackListener.NONE));
        try {
            Files.createDirectories(c.pidFile(first.name()).getParent());
            Files.writeString(c.pidFile(first.name()), Long.toString(pid));

            assertEquals(pid, second.running().orElseThrow().pid());
            assertTrue(first.running().isEmpty(), "gpu-worker took gpu-worker-2's process " + pid + " for its own");
        } finally {
            second.stop();
        }
        assertTrue(second.running().isEmpty());
    }

    /** {@code down} stops a gpu-worker that an {@code up} with a larger count started, whatever count it is given. */
    @Test
    void downStopsAGpuWorkerBeyondTheCountItIsGiven() throws Exception {
        Path repo = dir.resolve("repo");
        writeProbeJar(repo.resolve("gpu-worker/target/quarkus-app/quarkus-run.jar"), "Idle", IDLE);
        StackConfig two = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(repo).optGpuWorkers(2).build();
        GpuWorkerComponent second = new GpuWorkerComponent(two, 2);
        second.start(new StartContext(Instant.now(), Duration.ofSeconds(10), () -> false, StackListener.NONE));
        try {
            StackConfig one = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(repo).build();

            DownResult down = new LocalStack(one).down();

            assertTrue(second.running().isEmpty(), "gpu-worker-2 still runs after down with a count of 1: " + down);
        } finally {
            second.stop();
        }
    }

    /** Waits a minute, long enough to be looked at, then exits. */
    private static final String IDLE = """
            public class Idle {
                public static void main(String[] args) throws Exception {
                    Thread.sleep(60_000);
                }
            }
            """;

    private static final String PROBE = """
            import java.nio.file.*;
            public class Probe {
                public static void main(String[] args) throws Exception {
                    String report = System.getenv("OMP_WAIT_POLICY") + "\\n" + System.getProperty("ai.djl.offline") + "\\n"
                            + System.getProperty("triplane.gpu.work-dir") + "\\n" + Runtime.getRuntime().maxMemory() + "\\n"
                            + System.getenv("GLIBC_TUNABLES") + "\\n";
                    Files.writeString(Path.of("probe.tmp"), report);
                    Files.move(Path.of("probe.tmp"), Path.of("probe.txt"), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            """;

    /**
     * Compiles a one-class program ({@link #PROBE}: writes {@code probe.txt} into its working directory; {@link #IDLE})
     * into an executable jar.
     */
    private void writeProbeJar(Path jar, String mainClass, String source) throws IOException {
        Path src = dir.resolve("probe-src");
        Files.createDirectories(src);
        Files.writeString(src.resolve(mainClass + ".java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", src.toString(), src.resolve(mainClass + ".java").toString()), "javac");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry(mainClass + ".class"));
            j.write(Files.readAllBytes(src.resolve(mainClass + ".class")));
            j.closeEntry();
        }
    }
}
