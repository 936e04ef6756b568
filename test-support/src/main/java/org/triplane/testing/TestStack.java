package org.triplane.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.triplane.db.Database;
import org.triplane.db.Roles;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.FreePorts;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackProperties;
import org.triplane.deploy.local.StackStatus;
import org.triplane.imaging.plane.Plane;

/**
 * The local stack on free ports in a temporary directory, the one harness every module's integration
 * tests start the servers with. {@link #start}: the servers only (PostgreSQL, Kafka, object store),
 * migrated, with the service roles able to log in ({@link #database}), for tests that run the code
 * under test themselves (a gateway process of their own included). {@link #startWithServices}: the stack as one command starts
 * it, with the packaged services a test names. {@link #close()} stops every process it started.
 */
public final class TestStack implements AutoCloseable {
    /** The worker role's password after {@link #start}: the workers' own default, so a packaged worker logs in unchanged. */
    public static final String WORKER_PASSWORD = "triplane-worker-local";
    /** The app role's password after {@link #start}: the gateway's own default. */
    public static final String APP_PASSWORD = "triplane-local-app";

    private final LocalStack stack;
    private final Properties props;
    private final Database owner;

    private TestStack(LocalStack stack, Properties props) {
        this.stack = stack;
        this.props = props;
        this.owner = Database.connect(jdbcUrl(), props.getProperty(StackProperties.POSTGRES_USER),
                props.getProperty(StackProperties.POSTGRES_PASSWORD));
    }

    public static TestStack start(Path dir) throws Exception {
        int[] ports = FreePorts.pick(4);
        StackConfig config = StackConfig.builder().setDataDir(dir.resolve("stack"))
                .optPostgresPort(ports[0]).optKafkaPort(ports[1]).optKafkaControllerPort(ports[2]).optS3Port(ports[3])
                // why: the tests run the code under test themselves; the stack's services would only be noise
                .optInfrastructureOnly(true)
                .optStartTimeout(Duration.ofSeconds(120)).build();
        LocalStack stack = new LocalStack(config, (component, message) -> System.out.println("[stack] " + component + ": " + message));
        try {
            stack.up();
            TestStack s = new TestStack(stack, StackProperties.read(config.dataDir()));
            s.owner.migrate();
            try (Connection c = s.owner.dataSource().getConnection()) {
                Roles.enableLogin(c, Roles.WORKER, WORKER_PASSWORD.toCharArray());
                Roles.enableLogin(c, Roles.APP, APP_PASSWORD.toCharArray());
            }
            return s;
        } catch (Exception | Error e) {
            stack.down();
            throw e;
        }
    }

    /**
     * The servers and the named services, packaged under {@code triplane.services.home} (see
     * {@link StackConfig#fromEnvironment()}), every one on a free port. Services not named are left
     * out even when built, so that a test sees only the part of the pipeline it is about; a named
     * one that is not built is skipped (its status says so). The gateway migrates the schema and
     * enables the service roles with the stack's own passwords, so nothing is changed here.
     *
     * @param dir     temporary directory; the stack's data directory is {@code dir/stack}
     * @param modules the services' module names, e.g. {@code api-gateway}, {@code preprocess-worker}
     */
    public static TestStack startWithServices(Path dir, List<String> modules) throws Exception {
        return startWithServices(dir, modules, b -> { });
    }

    /**
     * As {@link #startWithServices(Path, List)}, with the configuration changed by {@code tweak} before
     * the stack is built (e.g. {@code b -> b.optDefaultModelSet(folder)}).
     */
    public static TestStack startWithServices(Path dir, List<String> modules,
                                              java.util.function.Consumer<StackConfig.Builder> tweak) throws Exception {
        int[] ports = FreePorts.pick(8);
        StackConfig.Builder builder = StackConfig.fromEnvironment().setDataDir(dir.resolve("stack"));
        tweak.accept(builder);
        Path home = builder.build().servicesHome()
                .orElseThrow(() -> new IllegalStateException("no services home: set triplane.services.home to the repository"));
        StackConfig config = builder.optServicesHome(servicesHomeWithOnly(home, modules, dir.resolve("services")))
                .optPostgresPort(ports[0]).optKafkaPort(ports[1]).optKafkaControllerPort(ports[2]).optS3Port(ports[3])
                .optGatewayPort(ports[4]).optWorkerPort(ports[5]).optGpuWorkerPort(ports[6]).optFusionWorkerPort(ports[7])
                .optStartTimeout(Duration.ofSeconds(120)).build();
        LocalStack stack = new LocalStack(config, (component, message) -> System.out.println("[stack] " + component + ": " + message));
        try {
            stack.up();
            return new TestStack(stack, StackProperties.read(config.dataDir()));
        } catch (Exception | Error e) {
            stack.down();
            throw e;
        }
    }

    /**
     * A services home in {@code target} that links each named module's packaged application
     * ({@code <module>/target/quarkus-app}) to the one in {@code home} and holds no other.
     */
    private static Path servicesHomeWithOnly(Path home, List<String> modules, Path target) throws IOException {
        for (String module : modules) {
            Path app = Path.of(module, "target", "quarkus-app");
            Path link = target.resolve(app);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, home.resolve(app).toAbsolutePath());
        }
        return target;
    }

    /** The stack's configuration (data directory, ports, services home). */
    public StackConfig config() {
        return stack.config();
    }

    /** Every component's state now (a service's pid, port and log). */
    public StackStatus status() {
        return stack.status();
    }

    /** Schema owner's database (sees every tenant; used to arrange and inspect). */
    public Database owner() {
        return owner;
    }

    /**
     * Waits until no outbox row of job {@code jobId} is left unpublished. why: a relay marks a row
     * published only once the broker acknowledged its record, so every event the job's transactions
     * committed so far then lies below its topic's end offsets, where a read up to them sees it, and
     * where a record that is not there is really absent.
     */
    public void awaitJobEventsPublished(java.util.UUID jobId, Duration timeout) {
        await("every outbox row of job " + jobId + " published").atMost(timeout).until(() -> {
            try (Connection c = owner.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE aggregate = ? AND published_at IS NULL")) {
                ps.setString(1, "job:" + jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }, unpublished -> unpublished == 0);
    }

    /**
     * The database as a service logs in to it, with the password {@link #start} gave the role (a stack
     * with services has the gateway's passwords instead).
     *
     * @param role {@link Roles#APP} (row-level security applies) or {@link Roles#WORKER}
     */
    public Database database(String role) {
        String password = switch (role) {
            case Roles.APP -> APP_PASSWORD;
            case Roles.WORKER -> WORKER_PASSWORD;
            default -> throw new IllegalArgumentException("role: " + Roles.APP + " or " + Roles.WORKER + ", got " + role);
        };
        return Database.connect(jdbcUrl(), role, password);
    }

    public String jdbcUrl() {
        return props.getProperty(StackProperties.POSTGRES_URL);
    }

    public String kafkaBootstrap() {
        return props.getProperty(StackProperties.KAFKA_BOOTSTRAP);
    }

    public String s3Endpoint() {
        return props.getProperty(StackProperties.S3_ENDPOINT);
    }

    public Properties properties() {
        return props;
    }

    /** Stops the object store process (SIGTERM) and waits until it is gone. */
    public void stopObjectStore() throws Exception {
        ComponentStatus s = stack.status().component("objectstore").orElseThrow();
        ProcessHandle p = ProcessHandle.of(s.pid()).orElseThrow();
        p.destroy();
        p.onExit().get();
    }

    /**
     * Stops the object store and starts it again on the same port and data: every connection a
     * client pooled to it is dead afterwards, as when a store closes idle connections.
     */
    public void restartObjectStore() throws Exception {
        stopObjectStore();
        stack.up();
    }

    /**
     * Kills the Kafka broker (SIGKILL, as a crash would) and waits until it is gone; {@link #up()}
     * starts it again on the same port and data, so records and committed offsets survive.
     */
    public void killKafka() throws Exception {
        ComponentStatus s = stack.status().component("kafka").orElseThrow();
        ProcessHandle p = ProcessHandle.of(s.pid()).orElseThrow();
        p.destroyForcibly();
        p.onExit().get();
    }

    /**
     * A complete model set (one model per plane) registered directly as the owner, whose weights are
     * never stored: for tests whose jobs must name a model set but stop before the plane stage.
     */
    public java.util.UUID modelSetWithoutWeights() {
        org.triplane.db.models.ModelSet set = owner.tx().run(c -> ModelSets.create(c, "it-no-weights-" + java.util.UUID.randomUUID(),
                "MAJORITY_2_OF_3", "it"));
        for (Plane p : Plane.values()) {
            owner.tx().run(c -> Models.insert(c, new org.triplane.db.models.Model(null, set.id(), p, "unet", "{}", 1L, List.of(),
                    List.of(), List.of(2.0, 2.0, 2.0), List.of(64, 64), "it", null, "{}",
                    "models/" + set.id() + "/" + p + "/weights.params", "0".repeat(64), null)));
        }
        return set.id();
    }

    /** Stops the gateway process (SIGTERM) and waits until it is gone; {@link #up()} starts it again. */
    public void stopGateway() throws Exception {
        ProcessHandle p = gatewayProcess();
        p.destroy();
        p.onExit().get();
    }

    /**
     * Kills the gateway process (SIGKILL, as a crash would: no shutdown, its relay's pass cut short) and
     * waits until it is gone; {@link #up()} starts it again.
     */
    public void killGateway() throws Exception {
        ProcessHandle p = gatewayProcess();
        p.destroyForcibly();
        p.onExit().get();
    }

    private ProcessHandle gatewayProcess() {
        ComponentStatus s = stack.status().component("gateway").orElseThrow();
        return ProcessHandle.of(s.pid()).orElseThrow(() -> new IllegalStateException("the gateway is not running: " + s));
    }

    /** Starts what is not running (the object store or Kafka again) and waits until it is ready. */
    public void up() {
        stack.up();
    }

    @Override
    public void close() {
        stack.down();
    }

    /**
     * Stops {@code stack} (nothing when {@code null}) and fails when a process is left running: a leak
     * that the next test run would trip over.
     */
    public static void stopLeavingNothing(TestStack stack) {
        if (stack == null) {
            return;
        }
        stack.close();
        if (!stack.status().allStopped()) {
            throw new AssertionError("processes left running: " + stack.status().toMap());
        }
    }

}
