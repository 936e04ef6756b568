package org.triplane.messaging.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.triplane.deploy.local.FreePorts;
import org.triplane.testing.ProcessReadiness;

/**
 * A Kafka broker (KRaft, one process, the local stack's Kafka release and class path) whose only client
 * listener takes SASL/SCRAM-SHA-512, as the cluster's Strimzi listener does (there over TLS): users and
 * passwords are written into its storage when it is formatted, so the first connection already needs
 * them. No ACLs: this is about authentication. Close it.
 */
public final class ScramBroker implements AutoCloseable {

    /** The user the broker itself logs in as between its listeners. */
    private static final String BROKER_USER = "broker";
    private static final String CLASSPATH = "/org/triplane/deploy/local/runtime/kafka.classpath";
    private static final Duration START = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;

    private ScramBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param dir      its storage, configuration and log
     * @param user     a client user to create
     * @param password its password
     * @return the broker, once it accepts {@code user}
     */
    public static ScramBroker start(Path dir, String user, String password) throws IOException, InterruptedException {
        int[] ports = FreePorts.pick(2);
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + BROKER_USER + "-secret\";";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + ports[1]);
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + ports[0] + ",CONTROLLER://127.0.0.1:" + ports[1]);
        p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + ports[0]);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram);
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "SCRAM test broker");
        }
        Path log = dir.resolve("kafka.log");
        String cp = classPath();
        List<String> format = java(cp, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString(), "--add-scram", "SCRAM-SHA-512=[name=" + BROKER_USER + ",password=" + BROKER_USER + "-secret]",
                "--add-scram", "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
        Process f = new ProcessBuilder(format).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
            f.destroyForcibly();
            throw new IllegalStateException("formatting the SCRAM broker's storage failed; see " + log);
        }
        Process server = new ProcessBuilder(java(cp, "kafka.Kafka", config.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ScramBroker broker = new ScramBroker(server, ports[0], log);
        try {
            broker.awaitUser(user, password);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** @return {@code host:port} of the SCRAM listener */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private void awaitUser(String user, String password) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        ProcessReadiness.awaitReady(process, "the SCRAM broker (as " + user + ")", log, START, () -> {
            try (Admin admin = Admin.create(p)) {
                return "cluster " + admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            }
        }, answer -> answer.startsWith("cluster "));
    }

    private static String classPath() throws IOException {
        try (InputStream in = ScramBroker.class.getResourceAsStream(CLASSPATH)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH + " is not on the class path (triplane-deploy builds it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static List<String> java(String classPath, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", classPath, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
