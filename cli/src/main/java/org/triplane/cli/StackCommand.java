package org.triplane.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.triplane.deploy.local.DownResult;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackException;
import org.triplane.deploy.local.StackListener;
import org.triplane.deploy.local.UpResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code triplane stack up|down|status}: the local stack (PostgreSQL, a Kafka broker, an S3-API
 * object store) as separate processes on this machine, no Docker. Progress goes to standard error
 * with timings; the stack's state goes to standard output as one JSON object.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "The local stack on this machine, no Docker: PostgreSQL, a Kafka broker (KRaft) and an "
                + "S3-API object store, each its own process, with the pipeline's database, topics and bucket. "
                + "Ports: TRIPLANE_PG_PORT (15432), TRIPLANE_KAFKA_PORT (19092), TRIPLANE_KAFKA_CONTROLLER_PORT "
                + "(19093), TRIPLANE_S3_PORT (18080); TRIPLANE_PG_URL uses that PostgreSQL server instead.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
final class StackCommand {

    /** {@code --data DIR} and the rest of the configuration from system properties and environment. */
    static final class DataOption {
        @Option(names = "--data", paramLabel = "DIR",
                description = "data directory: logs, pid files, data (default: TRIPLANE_STACK_DIR, else "
                        + "TRIPLANE_HOME/stack, else <repository>/.triplane/stack)")
        Path dir;

        StackConfig config() {
            StackConfig.Builder b = fromEnvironment();
            if (dir != null) {
                b.setDataDir(dir);
            }
            return b.build();
        }
    }

    /**
     * The stack as the command line runs it: configured from system properties and environment, with
     * every service {@linkplain StackConfig#servicesRequired() required}. why: here {@code stack up}
     * means the whole stack, and one without some of its services would pass for a working one.
     */
    static StackConfig.Builder fromEnvironment() {
        return StackConfig.fromEnvironment().optServicesRequired(true);
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start what is not running and wait until every component is ready (database, topics and "
                    + "bucket included); print the status JSON. A service that is not built fails it before anything "
                    + "starts. On failure, name the component and its log, stop what this start began, exit 1.")
    static final class Up implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Override
        public Integer call() {
            Progress progress = new Progress();
            try {
                UpResult r = new LocalStack(data.config(), progress).up();
                progress.progress("stack", "up in " + seconds(r.elapsed().toMillis()) + " (data: "
                        + r.status().dataDir() + ")");
                System.out.println(Json.render(r.status().toMap()));
                return 0;
            } catch (StackException e) {
                System.err.println("triplane: stack up failed: " + e.getMessage());
                for (Throwable also : e.getSuppressed()) {
                    System.err.println("triplane: and " + also.getMessage());
                }
                return 1;
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the stack's processes by pid (SIGTERM, PostgreSQL's fast shutdown; SIGKILL after a "
                    + "grace period); the data stays. Does nothing when nothing runs. Prints the status JSON.")
    static final class Down implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Override
        public Integer call() {
            Progress progress = new Progress();
            try {
                DownResult r = new LocalStack(data.config(), progress).down();
                progress.progress("stack", "down in " + seconds(r.elapsed().toMillis()));
                System.out.println(Json.render(r.status().toMap()));
                return 0;
            } catch (StackException e) {
                System.err.println("triplane: stack down failed: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print one JSON object: each component's state (running, stopped, unresponsive, "
                    + "unreachable, not-built), pid, log and URL (JDBC URL, Kafka bootstrap, object store "
                    + "endpoint and bucket, gateway, preprocess-worker), and the data directory.")
    static final class Status implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Override
        public Integer call() {
            quietLibraries();
            System.out.println(Json.render(new LocalStack(data.config()).status().toMap()));
            return 0;
        }
    }

    /** Progress lines on standard error: {@code [  3.2s] kafka: ready at 127.0.0.1:19092}. */
    private static final class Progress implements StackListener {
        private final long t0 = System.nanoTime();

        Progress() {
            quietLibraries();
        }

        @Override
        public synchronized void progress(String component, String message) {
            System.err.printf("[%6s] %s: %s%n", seconds((System.nanoTime() - t0) / 1_000_000), component, message);
            System.err.flush();
        }
    }

    private static String seconds(long millis) {
        return String.format("%.1fs", millis / 1000.0);
    }

    // why: the Kafka and PostgreSQL client libraries log through SLF4J, which has no binding here and
    // would say so on standard error; their failures reach the user as StackException messages instead
    private static void quietLibraries() {
        System.getProperties().putIfAbsent("slf4j.internal.verbosity", "ERROR");
    }
}
