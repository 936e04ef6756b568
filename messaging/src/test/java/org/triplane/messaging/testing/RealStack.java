package org.triplane.messaging.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.triplane.db.Database;
import org.triplane.db.Roles;
import org.triplane.deploy.local.FreePorts;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;

/**
 * The local stack's real servers (PostgreSQL, Kafka, object store) on free ports in a temporary
 * data directory, started once per test run and stopped when the run ends; the schema migrated
 * and the service roles allowed to log in. Register with
 * {@code @RegisterExtension static final RealStack stack = new RealStack();}.
 */
public final class RealStack implements BeforeAllCallback {

    /** Password given to {@code triplane_app} and {@code triplane_worker} in the test cluster. */
    public static final String ROLE_PASSWORD = "test-only";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealStack.class);

    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    /** @return the stack's configuration (ports, endpoints, credentials) */
    public StackConfig config() {
        return running.stack.config();
    }

    /** @param role {@link Roles#APP} or {@link Roles#WORKER} @return transactions as that role */
    public Database database(String role) {
        return Database.connect(config().jdbcUrl(), role, ROLE_PASSWORD);
    }

    /** A started stack; closing it (at the end of the run) stops every process. */
    static final class Running implements ExtensionContext.Store.CloseableResource {
        final LocalStack stack;
        final Path dir;

        private Running(LocalStack stack, Path dir) {
            this.stack = stack;
            this.dir = dir;
        }

        static Running start() {
            try {
                Path dir = Files.createTempDirectory("triplane-it-stack");
                int[] ports = FreePorts.pick(4);
                StackConfig config = StackConfig.builder()
                        .setDataDir(dir.resolve("stack"))
                        .optPostgresPort(ports[0])
                        .optKafkaPort(ports[1])
                        .optKafkaControllerPort(ports[2])
                        .optS3Port(ports[3])
                        .optStartTimeout(Duration.ofSeconds(120))
                        .build();
                LocalStack stack = new LocalStack(config, (component, message) ->
                        System.out.println("[stack] " + component + ": " + message));
                Running running = new Running(stack, dir);
                try {
                    stack.up();
                    prepareDatabase(config);
                } catch (RuntimeException e) {
                    running.close();
                    throw e;
                }
                return running;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void prepareDatabase(StackConfig config) {
            Database owner = Database.connect(config.jdbcUrl(), config.postgresUser(), config.postgresPassword());
            owner.migrate();
            try (Connection c = owner.dataSource().getConnection()) {
                Roles.enableLogin(c, Roles.APP, ROLE_PASSWORD.toCharArray());
                Roles.enableLogin(c, Roles.WORKER, ROLE_PASSWORD.toCharArray());
            } catch (SQLException e) {
                throw new IllegalStateException("enabling the service roles failed", e);
            }
        }

        @Override
        public void close() {
            stack.down();
        }
    }

}
