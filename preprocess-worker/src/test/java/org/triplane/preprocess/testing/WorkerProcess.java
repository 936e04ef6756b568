package org.triplane.preprocess.testing;

import org.triplane.deploy.local.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged worker ({@code target/quarkus-app/quarkus-run.jar}) as its own OS process, pointed
 * at a {@link TestStack}; output goes to {@code <dir>/<name>.log}.
 */
public final class WorkerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private WorkerProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * @param extra further {@code -Dkey=value} settings, e.g. {@code triplane.preprocess.test-delay-after-claim}
     */
    public static WorkerProcess start(TestStack stack, Path dir, String name, Map<String, String> extra) throws Exception {
        String jar = System.getProperty("worker.jar", "target/quarkus-app/quarkus-run.jar");
        int port = FreePorts.pick(1)[0];
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("quarkus.http.port", Integer.toString(port));
        settings.put("quarkus.datasource.jdbc.url", stack.jdbcUrl());
        settings.put("quarkus.datasource.password", TestStack.WORKER_PASSWORD);
        settings.put("triplane.kafka.bootstrap", stack.kafkaBootstrap());
        settings.put("triplane.s3.endpoint", stack.s3Endpoint());
        // why: the group's minimum; a killed worker's partitions move to the next one within seconds
        settings.put("triplane.kafka.session-timeout", "6s");
        settings.put("triplane.preprocess.worker-id", name);
        settings.put("triplane.preprocess.lease", "4s");
        settings.put("triplane.preprocess.heartbeat", "1s");
        settings.put("triplane.preprocess.sweep-interval", "1s");
        settings.put("triplane.preprocess.resample-threads", "1");
        settings.putAll(extra);
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar);
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        WorkerProcess w = new WorkerProcess(name, p, port, log);
        try {
            w.awaitReady(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            w.kill();
            throw e;
        }
        return w;
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

    /** GET {@code path} on the worker's HTTP port; returns status and body. */
    public HttpResponse<String> get(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = get("/q/health/ready");
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + " (" + last + "); see " + log);
    }

    /** SIGKILL: no shutdown hook, no cleanup, exactly a crashed worker. */
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
