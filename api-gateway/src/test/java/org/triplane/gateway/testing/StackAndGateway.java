package org.triplane.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.triplane.db.Database;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.deploy.local.FreePorts;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.imaging.plane.Plane;
import org.triplane.testing.ProcessReadiness;
import org.triplane.testing.TestStack;

/**
 * The local stack's real servers (PostgreSQL, Kafka, s3proxy) as {@link TestStack} starts them, and
 * the packaged gateway ({@code target/quarkus-app/quarkus-run.jar}) started as its
 * own process against them with {@code -Dquarkus.profile=test} (which migrates the schema at
 * start). Started once per test run, stopped when the run ends (gateway first, then the stack).
 * Register with {@code @RegisterExtension static final StackAndGateway env = new StackAndGateway();}.
 * More gateways against the same stack, as replicas behind one address: {@link #startGateway}.
 */
public final class StackAndGateway implements BeforeAllCallback {

    /** The {@code %test} profile's admin token. */
    public static final String ADMIN_TOKEN = "test-admin-token";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackAndGateway.class);
    private static final Duration GATEWAY_START = Duration.ofSeconds(90);
    private static final String READY = "/q/health/ready";

    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    /** @return the stack's configuration (ports, endpoints, credentials) */
    public StackConfig stack() {
        return running.stack.config();
    }

    /** @return the gateway's base URL, e.g. {@code http://127.0.0.1:41234} */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + running.gatewayPort;
    }

    /**
     * A complete model set (one model per plane, weights never loaded: no gpu-worker runs in these tests)
     * registered once per run, for jobs that must name one; the gateway under test has no default model set.
     */
    public UUID modelSet() {
        synchronized (running) {
            if (running.modelSet == null) {
                org.triplane.db.models.ModelSet set = owner().tx().run(c -> ModelSets.create(c, "it-runnable-" + UUID.randomUUID(),
                        "MAJORITY_2_OF_3", "it"));
                for (Plane p : Plane.values()) {
                    owner().tx().run(c -> Models.insert(c, new org.triplane.db.models.Model(null, set.id(), p, "unet",
                            "{\"preset\": \"tiny\"}", 1L, List.of(), List.of(), List.of(2.0, 2.0, 2.0), List.of(64, 64), "it",
                            null, "{}", "models/" + set.id() + "/" + p + "/weights.params", "0".repeat(64), null)));
                }
                running.modelSet = set.id();
            }
            return running.modelSet;
        }
    }

    /**
     * Starts one more gateway against this run's stack: a process of its own on a free port, with the
     * {@code %test} profile plus these system properties, ready when this returns, stopped when the run ends
     * (before the stack).
     *
     * @param name       names its log, {@code target/gateway-<name>.log}
     * @param properties e.g. {@code triplane.report.signing-key}
     * @return its base URL
     */
    public String startGateway(String name, Map<String, String> properties) {
        return running.startExtra(name, properties, READY);
    }

    /**
     * As {@link #startGateway}, but waits only until the gateway is alive ({@code /q/health/live}): for a
     * gateway configured so that it never becomes ready.
     *
     * @param name       names its log, {@code target/gateway-<name>.log}
     * @param properties e.g. a bucket that does not exist
     * @return its base URL
     */
    public String startUnreadyGateway(String name, Map<String, String> properties) {
        return running.startExtra(name, properties, "/q/health/live");
    }

    /** @return the folder the gateway under test streams multipart parts into while it reads a request */
    public Path uploadsDirectory() {
        return running.uploads;
    }

    /** @return the folder a gateway started with {@link #startGateway} under this name streams multipart parts into */
    public Path uploadsDirectory(String name) {
        return running.uploadsOf(name);
    }

    /** @return the gateway process's heap, read from its GC log */
    public GatewayHeap heap() {
        return new GatewayHeap(Path.of(System.getProperty("gateway.gc-log", "target/gateway-gc.log")), running.gateway.pid());
    }

    /** @return the database as its owner (row-level security not applied): for residue checks only */
    public Database owner() {
        return running.stack.owner();
    }

    static final class Running implements ExtensionContext.Store.CloseableResource {
        final TestStack stack;
        final int gatewayPort;
        final Path uploads;
        Process gateway;
        UUID modelSet;
        final List<Process> extraGateways = new ArrayList<>();

        private Running(TestStack stack, int gatewayPort, Path uploads) {
            this.stack = stack;
            this.gatewayPort = gatewayPort;
            this.uploads = uploads;
        }

        static Running start() {
            try {
                Path dir = Files.createTempDirectory("triplane-gateway-it");
                TestStack stack = startServers(dir);
                int gatewayPort = FreePorts.pick(1)[0];
                Running r = new Running(stack, gatewayPort, Files.createDirectories(dir.resolve("uploads")));
                try {
                    Path log = Path.of(System.getProperty("gateway.log", "target/gateway-it.log"));
                    Path gcLog = Path.of(System.getProperty("gateway.gc-log", "target/gateway-gc.log"));
                    // why: every collection with the heap before and after it, from which GatewayHeap reads the peak
                    r.gateway = launchGateway(stack.config(), gatewayPort, r.uploads, log,
                            List.of("-Xlog:gc:file=" + gcLog.toAbsolutePath()));
                    awaitHealth(r.gateway, gatewayPort, log, READY);
                } catch (RuntimeException | Error e) {
                    r.close();
                    throw e;
                }
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path uploadsOf(String gatewayName) {
            return uploads.resolveSibling("uploads-" + gatewayName);
        }

        /** The servers only: this extension starts the gateway under test itself. */
        private static TestStack startServers(Path dir) {
            try {
                return TestStack.start(dir);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the local stack's servers did not start in " + dir, e);
            }
        }

        synchronized String startExtra(String name, Map<String, String> properties, String health) {
            try {
                int port = FreePorts.pick(1)[0];
                Path log = Path.of("target/gateway-" + name + ".log");
                List<String> options = properties.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
                Process p = launchGateway(stack.config(), port, Files.createDirectories(uploadsOf(name)),
                        log, options);
                extraGateways.add(p);
                awaitHealth(p, port, log, health);
                return "http://127.0.0.1:" + port;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Process launchGateway(StackConfig c, int port, Path uploads, Path log, List<String> options)
                throws IOException {
            Path jar = Path.of(System.getProperty("gateway.jar", "target/quarkus-app/quarkus-run.jar"));
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " missing: run the tests with `mvn verify` (the jar is built at package)");
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // why: the heap and options the local stack runs the gateway with, so that what passes here passes there
            cmd.addAll(LocalStack.gatewayJvmOptions());
            cmd.addAll(options);
            cmd.addAll(List.of(
                    "-Dquarkus.profile=test",
                    "-Dquarkus.http.port=" + port,
                    // why: a folder of its own, so that a test sees whether a request's body reached the disk
                    "-Dquarkus.http.body.uploads-directory=" + uploads.toAbsolutePath(),
                    "-Dtriplane.database.url=" + c.jdbcUrl(),
                    "-Dtriplane.database.owner-user=" + c.postgresUser(),
                    "-Dtriplane.database.owner-password=" + c.postgresPassword(),
                    "-Dtriplane.object-store.endpoint=" + c.s3Endpoint(),
                    "-Dtriplane.object-store.access-key=" + c.s3AccessKey(),
                    "-Dtriplane.object-store.secret-key=" + c.s3SecretKey(),
                    "-Dtriplane.kafka.bootstrap-servers=" + c.kafkaBootstrap(),
                    "-jar", jar.toString()));
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        private static void awaitHealth(Process gateway, int port, Path log, String health) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + health))
                    .timeout(Duration.ofSeconds(10)).build();
            ProcessReadiness.awaitReady(gateway, "gateway (" + health + ")", log, GATEWAY_START, () -> {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() + " " + r.body();
            }, answer -> answer.startsWith("200 "));
        }

        @Override
        public void close() {
            extraGateways.forEach(Running::stop);
            if (gateway != null) {
                stop(gateway);
            }
            stack.close();
        }

        private static void stop(Process gateway) {
            gateway.destroy();
            try {
                if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gateway.destroyForcibly();
            }
        }
    }
}
