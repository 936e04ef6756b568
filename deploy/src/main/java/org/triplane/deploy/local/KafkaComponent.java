package org.triplane.deploy.local;

import org.triplane.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A single Kafka broker in KRaft mode (broker and controller in one process, {@code kafka.Kafka}),
 * its storage formatted on the first start only, then the pipeline's {@link Topics} created.
 *
 * <p>Files: {@code <data>/kafka/server.properties} (rewritten on each start from the
 * configuration), {@code <data>/kafka/data/} (logs and metadata), {@code <data>/kafka/java.args}
 * (the class path).
 */
final class KafkaComponent extends ServerComponent {
    static final String NAME = "kafka";
    private static final Duration FORMAT_TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> SERVER_JVM = List.of("-Xms64m", "-Xmx512m", JavaServer.QUICK_START,
            "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
    private static final List<String> TOOL_JVM = List.of("-Xmx256m", JavaServer.QUICK_START, "-Djava.awt.headless=true");

    private final Path home;
    private final Path serverProperties;
    private final Path logDir;
    private final JavaServer java = new JavaServer(NAME, "kafka");

    KafkaComponent(StackConfig config) {
        super(config, NAME, config.componentDir(NAME).resolve("server.properties"));
        this.home = config.componentDir(NAME);
        this.serverProperties = home.resolve("server.properties");
        this.logDir = home.resolve("data");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Ports.Use> ports() {
        return List.of(
                new Ports.Use(NAME, "client", config.kafkaPort(), "-Dtriplane.kafka.port=N or TRIPLANE_KAFKA_PORT=N"),
                new Ports.Use(NAME, "controller", config.kafkaControllerPort(),
                        "-Dtriplane.kafka.controller.port=N or TRIPLANE_KAFKA_CONTROLLER_PORT=N"));
    }

    /** The broker's jars are all in the local Maven repository. */
    @Override
    public void preflight() {
        java.classPath();
    }

    @Override
    public long start(StartContext ctx) throws IOException {
        Files.createDirectories(logDir);
        PropertiesFile.write(serverProperties, "Kafka broker of the triplane local stack; rewritten on each start.",
                serverConfig());
        Path argFile = home.resolve("java.args");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ctx.progress(NAME, "formatting the storage (first start)");
            List<String> format = java.command(argFile, TOOL_JVM, "kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString(), "--ignore-formatted");
            int code = process.runToCompletion("format storage", format, home, Map.of(), FORMAT_TIMEOUT);
            if (code != 0) {
                throw new StackException(NAME, "formatting the storage failed with exit code " + code
                        + "; last log line: " + process.lastLogLine(), log(), null);
            }
        }
        List<String> cmd = java.command(argFile, SERVER_JVM, "kafka.Kafka", serverProperties.toString());
        long pid = process.launch(cmd, home, Map.of()).pid();
        ctx.progress(NAME, "started (pid " + pid + ")");
        return pid;
    }

    private Map<String, String> serverConfig() {
        String host = StackConfig.HOST;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + config.kafkaControllerPort());
        p.put("listeners", "PLAINTEXT://" + host + ":" + config.kafkaPort() + ",CONTROLLER://" + host + ":"
                + config.kafkaControllerPort());
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + config.kafkaPort());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // why: topics come from Topics, so a misspelt name fails instead of creating a stray topic
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        // why: one broker; the internal topics' defaults (RF 3, 50 partitions) would not start or be slow on 2 cores
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "3");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    @Override
    public void awaitReady(StartContext ctx) {
        Readiness r = ctx.readiness(NAME, process);
        List<String> created = new TopicProvisioner(config.kafkaBootstrap()).awaitAndProvision(r);
        if (!created.isEmpty()) {
            ctx.progress(NAME, "created topics " + String.join(", ", created));
        }
        ctx.progress(NAME, "ready at " + config.kafkaBootstrap());
    }

    @Override
    protected int primaryPort() {
        return config.kafkaPort();
    }

    @Override
    protected Map<String, Object> endpoints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bootstrap", config.kafkaBootstrap());
        return m;
    }

    @Override
    protected ManagedProcess.Signal stopSignal() {
        return ManagedProcess.Signal.TERM;
    }

    @Override
    protected Duration stopGrace() {
        // why: a controlled shutdown flushes logs and writes a clean-shutdown marker; skipping it costs recovery time
        return Duration.ofSeconds(60);
    }
}
