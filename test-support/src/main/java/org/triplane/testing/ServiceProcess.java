package org.triplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triplane.deploy.local.FreePorts;

/**
 * A packaged Quarkus service ({@code quarkus-run.jar}) as its own OS process, pointed at a
 * {@link TestStack} (database as the worker role, Kafka, object store) on a free HTTP port, and
 * ready once {@code /q/health/ready} answers 200. Output goes to {@code <dir>/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private ServiceProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * @param jar      the service's {@code quarkus-run.jar}
     * @param heapMb   {@code -Xmx} in MB
     * @param settings service-specific {@code -Dkey=value} settings, applied after the stack's
     * @param env      extra environment variables (e.g. {@code OMP_WAIT_POLICY})
     */
    public static ServiceProcess start(TestStack stack, Path dir, String name, Path jar, int heapMb,
                                       Map<String, String> settings, Map<String, String> env, Duration readyTimeout)
            throws Exception {
        return startAnswering(stack, dir, name, jar, heapMb, settings, env, 200, readyTimeout);
    }

    /**
     * {@link #start} that returns once {@code /q/health/ready} answers {@code readyStatus}: 503 for a
     * service that is expected to run but report itself not ready.
     */
    public static ServiceProcess startAnswering(TestStack stack, Path dir, String name, Path jar, int heapMb,
                                                Map<String, String> settings, Map<String, String> env, int readyStatus,
                                                Duration timeout) throws Exception {
        int port = FreePorts.pick(1)[0];
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("quarkus.http.port", Integer.toString(port));
        all.put("quarkus.datasource.jdbc.url", stack.jdbcUrl());
        all.put("quarkus.datasource.password", TestStack.WORKER_PASSWORD);
        all.put("triplane.kafka.bootstrap", stack.kafkaBootstrap());
        all.put("triplane.s3.endpoint", stack.s3Endpoint());
        // why: the group's minimum; a killed worker's partitions move to the next one within seconds
        all.put("triplane.kafka.session-timeout", "6s");
        all.putAll(settings);
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        ServiceProcess s = new ServiceProcess(name, pb.start(), port, log);
        try {
            s.awaitReadiness(readyStatus, timeout);
        } catch (Exception | Error e) {
            s.kill();
            throw e;
        }
        return s;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** How many lines of the service's output so far contain {@code text}. */
    public long loggedLines(String text) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + log, e);
        }
    }

    /** Whether the service's output so far contains {@code text} (a log line it writes when it gets that far). */
    public boolean logged(String text) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + log, e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** GET {@code path} on the service's HTTP port; returns status and body. */
    public HttpResponse<String> get(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReadiness(int status, Duration timeout) {
        ProcessReadiness.awaitReady(process, name, log, timeout, () -> {
            HttpResponse<String> r = get("/q/health/ready");
            return r.statusCode() + " " + r.body();
        }, answer -> answer.startsWith(status + " "));
    }

    /** SIGKILL: no shutdown hook, no cleanup, exactly a crashed service. */
    public void kill() throws Exception {
        process.destroyForcibly();
        process.onExit().get();
    }

    /** SIGTERM and wait (graceful shutdown). */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
