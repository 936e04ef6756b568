package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsGiveTheDocumentedPortsAndUrls() {
        StackConfig c = StackConfig.builder().setDataDir(dir).build();

        assertEquals("jdbc:postgresql://127.0.0.1:15432/triplane", c.jdbcUrl());
        assertEquals("127.0.0.1:19092", c.kafkaBootstrap());
        assertEquals(19093, c.kafkaControllerPort());
        assertEquals("http://127.0.0.1:18080", c.s3Endpoint());
        assertEquals("http://127.0.0.1:18088", c.gatewayUrl());
        assertEquals(dir.resolve("logs").resolve("kafka.log"), c.logFile("kafka"));
        assertEquals(dir.resolve("run").resolve("postgres.pid"), c.pidFile("postgres"));
        assertEquals(Optional.empty(), c.externalPostgresUrl());
    }

    @Test
    void environmentSetsPortsAndSystemPropertiesWin() {
        Properties props = new Properties();
        props.setProperty("triplane.kafka.port", "29092");
        Map<String, String> env = Map.of(
                "TRIPLANE_STACK_DIR", dir.toString(),
                "TRIPLANE_PG_PORT", "25432",
                "TRIPLANE_KAFKA_PORT", "39092",
                "TRIPLANE_KAFKA_CONTROLLER_PORT", "29093",
                "TRIPLANE_S3_PORT", "28080",
                "TRIPLANE_STACK_TIMEOUT", "7");

        StackConfig c = StackConfig.fromEnvironment(env, props).build();

        assertEquals(dir, c.dataDir());
        assertEquals(25432, c.postgresPort());
        assertEquals(29092, c.kafkaPort());
        assertEquals(29093, c.kafkaControllerPort());
        assertEquals(28080, c.s3Port());
        assertEquals(Duration.ofSeconds(7), c.startTimeout());
    }

    @Test
    void theServicesAreFoundUnderTheirHomeOnTheirPorts() {
        Map<String, String> env = Map.of(
                "TRIPLANE_STACK_DIR", dir.toString(),
                "TRIPLANE_WORKER_PORT", "28090",
                "TRIPLANE_SERVICES_HOME", dir.resolve("repo").toString());

        StackConfig c = StackConfig.fromEnvironment(env, new Properties()).build();

        assertEquals("http://127.0.0.1:28090", c.workerUrl());
        assertEquals(Optional.of(dir.resolve("repo/api-gateway/target/quarkus-app/quarkus-run.jar")),
                c.serviceJar("api-gateway"));
        assertEquals(18090, StackConfig.builder().setDataDir(dir).build().workerPort());
        assertEquals(Optional.empty(), StackConfig.builder().setDataDir(dir).build().servicesHome(), "built in code: no services");
        assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().setDataDir(dir).optWorkerPort(18088).build(), "same port as the gateway");
    }

    @Test
    void theGpuAndFusionWorkerPortsComeFromTheirSettingsAndDefaultTo18092And18094() {
        Properties props = new Properties();
        props.setProperty("triplane.fusion.port", "38094");
        Map<String, String> env = Map.of(
                "TRIPLANE_STACK_DIR", dir.toString(),
                "TRIPLANE_GPU_PORT", "28092",
                "TRIPLANE_FUSION_PORT", "28094");

        StackConfig c = StackConfig.fromEnvironment(env, props).build();
        StackConfig defaults = StackConfig.builder().setDataDir(dir).build();

        assertEquals(28092, c.gpuWorkerPort());
        assertEquals(38094, c.fusionWorkerPort(), "the system property wins over the environment");
        assertEquals("http://127.0.0.1:28092", c.gpuWorkerUrl());
        assertEquals("http://127.0.0.1:38094", c.fusionWorkerUrl());
        assertEquals(18092, defaults.gpuWorkerPort());
        assertEquals(18094, defaults.fusionWorkerPort());
        assertEquals("http://127.0.0.1:18092", defaults.gpuWorkerUrl());
        assertEquals("http://127.0.0.1:18094", defaults.fusionWorkerUrl());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackConfig.fromEnvironment(
                Map.of("TRIPLANE_STACK_DIR", dir.toString(), "TRIPLANE_GPU_PORT", "gpu"), new Properties()));
        assertTrue(e.getMessage().contains("TRIPLANE_GPU_PORT"), e.getMessage());
    }

    @Test
    void theWorkerPortsMayNotClashWithEachOtherOrTheServers() {
        assertEquals("gpuWorkerPort and workerPort are both 18090", assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().setDataDir(dir).optGpuWorkerPort(18090).build()).getMessage());
        assertEquals("fusionWorkerPort and gpuWorkerPort are both 18092", assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().setDataDir(dir).optFusionWorkerPort(18092).build()).getMessage());
        assertEquals("fusionWorkerPort and kafkaPort are both 18094", assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().setDataDir(dir).optKafkaPort(18094).build()).getMessage());
        assertEquals("gpuWorkerPort and s3Port are both 18080", assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().setDataDir(dir).optGpuWorkerPort(18080).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir)
                .optFusionWorkerPort(0).build()).getMessage().startsWith("fusionWorkerPort"));
    }

    @Test
    void severalGpuWorkersListenAHundredPortsApartUpToThePlaneTaskPartitions() {
        StackConfig c = StackConfig.fromEnvironment(Map.of("TRIPLANE_STACK_DIR", dir.toString(), "TRIPLANE_GPU_WORKERS", "3",
                "TRIPLANE_GPU_PORT", "28092"), new Properties()).build();

        assertEquals(3, c.gpuWorkers());
        assertEquals(28092, c.gpuWorkerPort(1));
        assertEquals(28192, c.gpuWorkerPort(2));
        assertEquals("http://127.0.0.1:28292", c.gpuWorkerUrl(3));
        assertEquals(1, StackConfig.builder().setDataDir(dir).build().gpuWorkers(), "one unless set");
        assertEquals(6, StackConfig.MAX_GPU_WORKERS, "the plane-task topic's partitions");
        assertEquals("gpuWorkers must be 1..6 (the plane-task topic's partitions), got 7", assertThrows(
                IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir).optGpuWorkers(7).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir).optGpuWorkers(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackConfig.fromEnvironment(
                Map.of("TRIPLANE_STACK_DIR", dir.toString(), "TRIPLANE_GPU_WORKERS", "two"), new Properties()));
        assertTrue(e.getMessage().contains("TRIPLANE_GPU_WORKERS"), e.getMessage());
        assertEquals("fusionWorkerPort and gpuWorkerPort of gpu-worker-2 are both 18192", assertThrows(
                IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir).optGpuWorkers(2)
                        .optFusionWorkerPort(18192).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir).optGpuWorkers(3)
                .optGpuWorkerPort(65400).build()).getMessage().startsWith("gpuWorkerPort of gpu-worker-3 must be 1..65535"));
    }

    @Test
    void aStackOfTheServersOnlyIgnoresTheServicePorts() {
        StackConfig c = StackConfig.builder().setDataDir(dir).optInfrastructureOnly(true)
                .optKafkaPort(18088).optKafkaControllerPort(18092).optS3Port(18094).build();

        assertTrue(c.infrastructureOnly());
        assertEquals(18092, c.kafkaControllerPort());
        assertFalse(StackConfig.builder().setDataDir(dir).build().infrastructureOnly(), "services by default");
        assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir)
                .optKafkaPort(18088).build(), "with services the gateway's port is taken");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir)
                .optInfrastructureOnly(true).optGpuWorkerPort(70000).build()).getMessage().startsWith("gpuWorkerPort"),
                "a port out of range is still an error");
    }

    @Test
    void stackPropertiesKeepEveryKeyAndAddTheWorkerUrls() {
        StackConfig c = StackConfig.builder().setDataDir(dir).build();

        Map<String, String> p = StackProperties.of(c, "tok");

        assertEquals(List.of("postgres.url", "postgres.user", "postgres.password", "postgres.external", "kafka.bootstrap",
                "s3.endpoint", "s3.access-key", "s3.secret-key", "s3.region", "s3.bucket", "gateway.url",
                "preprocess-worker.url", "gpu-worker.url", "fusion-worker.url", "gateway.admin-token"), List.copyOf(p.keySet()));
        assertEquals("http://127.0.0.1:18090", p.get("preprocess-worker.url"));
        assertEquals("http://127.0.0.1:18092", p.get("gpu-worker.url"));
        assertEquals("http://127.0.0.1:18094", p.get("fusion-worker.url"));
        assertEquals("tok", p.get("gateway.admin-token"));
    }

    @Test
    void stackPropertiesOfTheServersOnlyNameNoService() {
        StackConfig c = StackConfig.builder().setDataDir(dir).optInfrastructureOnly(true).build();

        assertEquals(List.of("postgres.url", "postgres.user", "postgres.password", "postgres.external", "kafka.bootstrap",
                "s3.endpoint", "s3.access-key", "s3.secret-key", "s3.region", "s3.bucket"),
                List.copyOf(StackProperties.of(c, null).keySet()));
    }

    @Test
    void triplaneHomeHoldsTheStackFolderUnlessTheStackDirIsGiven() {
        Path home = dir.resolve("home");

        assertEquals(home.resolve("stack"),
                StackConfig.fromEnvironment(Map.of("TRIPLANE_HOME", home.toString()), new Properties()).build().dataDir());
        assertEquals(dir.resolve("s"), StackConfig.fromEnvironment(
                Map.of("TRIPLANE_HOME", home.toString(), "TRIPLANE_STACK_DIR", dir.resolve("s").toString()),
                new Properties()).build().dataDir());
    }

    @Test
    void anExternalPostgresUrlReplacesTheEmbeddedOne() {
        String url = "jdbc:postgresql://db.example:5432/triplane";
        StackConfig c = StackConfig.fromEnvironment(Map.of("TRIPLANE_STACK_DIR", dir.toString(), "TRIPLANE_PG_URL", url,
                "TRIPLANE_PG_USER", "svc", "TRIPLANE_PG_PASSWORD", "pw"), new Properties()).build();

        assertEquals(Optional.of(url), c.externalPostgresUrl());
        assertEquals(url, c.jdbcUrl());
        assertEquals("svc", c.postgresUser());
        assertEquals("pw", c.postgresPassword());
        assertEquals("true", StackProperties.of(c).get(StackProperties.POSTGRES_EXTERNAL));
    }

    @Test
    void aBadValueIsRefusedNamingItsVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackConfig.fromEnvironment(
                Map.of("TRIPLANE_STACK_DIR", dir.toString(), "TRIPLANE_KAFKA_PORT", "nineteen"), new Properties()));

        assertTrue(e.getMessage().contains("TRIPLANE_KAFKA_PORT"), e.getMessage());
        assertTrue(e.getMessage().contains("nineteen"), e.getMessage());
    }

    @Test
    void validateNamesTheFieldThatIsWrong() {
        assertEquals("dataDir is required",
                assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir)
                .optS3Port(70000).build()).getMessage().startsWith("s3Port"));
        assertEquals("kafkaPort and postgresPort are both 15432", assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().setDataDir(dir).optKafkaPort(15432).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StackConfig.builder().setDataDir(dir)
                .optExternalPostgresUrl("postgres://x/y").build()).getMessage().startsWith("externalPostgresUrl"));
    }

    @Test
    void anExternalPostgresFreesTheEmbeddedPort() {
        StackConfig c = StackConfig.builder().setDataDir(dir).optKafkaPort(15432)
                .optExternalPostgresUrl("jdbc:postgresql://127.0.0.1:5432/triplane").build();

        assertEquals(15432, c.kafkaPort());
    }

    @Test
    void theRepositoryIsTheFolderWithDeployPomAbove() throws Exception {
        Files.createDirectories(dir.resolve("deploy").resolve("target").resolve("classes"));
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Files.writeString(dir.resolve("deploy").resolve("pom.xml"), "<project/>");

        assertEquals(Optional.of(dir), StackConfig.repositoryAbove(dir.resolve("deploy/target/classes")));
        assertEquals(Optional.empty(), StackConfig.repositoryAbove(dir.getRoot()));
    }
}
