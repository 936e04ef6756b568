package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
