package org.triplane.preprocess.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import org.triplane.db.Database;
import org.triplane.db.Roles;
import org.triplane.deploy.local.FreePorts;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackProperties;

/**
 * The local stack on free ports in a temporary directory, migrated, with the worker role able to
 * log in. {@link #close()} stops every process it started.
 */
public final class TestStack implements AutoCloseable {
    public static final String WORKER_PASSWORD = "triplane-worker-local";

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
                .optStartTimeout(Duration.ofSeconds(120)).build();
        LocalStack stack = new LocalStack(config, (component, message) -> System.out.println("[stack] " + component + ": " + message));
        try {
            stack.up();
            TestStack s = new TestStack(stack, StackProperties.read(config.dataDir()));
            s.owner.migrate();
            try (Connection c = s.owner.dataSource().getConnection()) {
                Roles.enableLogin(c, Roles.WORKER, WORKER_PASSWORD.toCharArray());
            }
            return s;
        } catch (Exception | Error e) {
            stack.down();
            throw e;
        }
    }

    /** Schema owner's database (sees every tenant; used to arrange and inspect). */
    public Database owner() {
        return owner;
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

    /** Starts what is not running (here: the object store again) and waits until it is ready. */
    public void up() {
        stack.up();
    }

    @Override
    public void close() {
        stack.down();
    }

}
