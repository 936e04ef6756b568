package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the services required, {@code up} refuses a stack whose services are not all built, naming
 * every missing one and its jar, before it starts anything; and the list of jars a build must make.
 */
class ServicesRequiredTest {
    @TempDir
    Path dir;

    @Test
    void upNamesEveryServiceWhoseJarIsMissingAndStartsNothing() throws IOException {
        Path repo = dir.resolve("repo");
        Path gateway = repo.resolve("api-gateway/target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(gateway.getParent());
        Files.writeString(gateway, "");
        LocalStack stack = new LocalStack(required(repo));
        try {
            StackException e = assertThrows(StackException.class, stack::up);

            List<StackException> all = Stream.concat(Stream.of(e),
                    Arrays.stream(e.getSuppressed()).map(StackException.class::cast)).toList();
            assertEquals(List.of("preprocess-worker", "gpu-worker", "fusion-worker"),
                    all.stream().map(StackException::component).toList());
            for (StackException x : all) {
                String jar = repo.resolve(x.component()).resolve("target/quarkus-app/quarkus-run.jar").toString();
                assertTrue(x.getMessage().contains("not built: its jar " + jar + " is missing"), x.getMessage());
                assertTrue(x.getMessage().contains(QuarkusService.BUILD_HINT), x.getMessage());
            }
            assertTrue(stack.status().allStopped(), "something started: " + stack.status().toMap());
            assertFalse(Files.exists(dir.resolve("data/logs")), "no server was launched");
            assertFalse(Files.exists(stack.config().propertiesFile()), "nothing was prepared either");
        } finally {
            // why: should the check ever pass, the servers it started must not outlive the test
            stack.down();
        }
    }

    @Test
    void withNoServicesHomeEveryServiceIsNamedWithWhereToPointIt() {
        LocalStack stack = new LocalStack(required(null));
        try {
            StackException e = assertThrows(StackException.class, stack::up);

            assertEquals("gateway", e.component());
            assertEquals(3, e.getSuppressed().length);
            assertTrue(e.getMessage().contains("no services home") && e.getMessage().contains("TRIPLANE_SERVICES_HOME"),
                    e.getMessage());
            assertTrue(stack.status().allStopped(), "something started: " + stack.status().toMap());
        } finally {
            stack.down();
        }
    }

    @Test
    void theJarsABuildMustMakeAreTheServicesOfTheStackRelativeToTheRepository() {
        Path repo = dir.resolve("repo");
        LocalStack stack = new LocalStack(required(repo));

        List<Path> jars = ServiceJars.list(repo);

        assertEquals(Stream.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker")
                .map(m -> Path.of(m, "target", "quarkus-app", "quarkus-run.jar")).toList(), jars);
        assertEquals(stack.serviceJars(), jars.stream().map(repo::resolve).toList());
        assertEquals(List.of(), new LocalStack(StackConfig.builder().setDataDir(dir).optServicesHome(repo)
                .optInfrastructureOnly(true).build()).serviceJars(), "the servers alone need no service");
    }

    private StackConfig required(Path servicesHome) {
        // why: PostgreSQL as an external URL, so that no check of its binaries or port can come first
        int[] free = FreePorts.pick(3);
        return StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(servicesHome)
                .optExternalPostgresUrl("jdbc:postgresql://127.0.0.1:1/none")
                .optKafkaPort(free[0]).optKafkaControllerPort(free[1]).optS3Port(free[2])
                .optServicesRequired(true).build();
    }
}
