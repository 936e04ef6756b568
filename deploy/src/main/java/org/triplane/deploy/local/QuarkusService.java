package org.triplane.deploy.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A packaged Quarkus service of the repository ({@code <module>/target/quarkus-app/quarkus-run.jar})
 * run as a stack process: configured with system properties (secrets in its environment), ready
 * when {@code /q/health/ready} answers 200. When its jar was not built, {@code status} says {@code not-built} and {@code up}
 * skips it, or fails naming it when the services are {@linkplain StackConfig#servicesRequired() required}. A service
 * may ask for a larger heap, JVM options of its own, environment variables and a longer start.
 */
abstract class QuarkusService extends ServerComponent {
    static final String BUILD_HINT = "build the services first: mvn -B install -DskipTests";
    /** The heap a service gets unless it asks for another. */
    static final String DEFAULT_MAX_HEAP = "384m";
    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-Djava.awt.headless=true");
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);
    private static final String MARKER_OPTION = "-Dstack.component=";

    private final String module;
    private final Path home;

    /**
     * @param module the repository folder of the service, e.g. {@code api-gateway}
     */
    protected QuarkusService(StackConfig config, String name, String module) {
        super(config, name, marker(config.componentDir(name)));
        this.module = module;
        this.home = config.componentDir(name);
    }

    /**
     * The command-line argument that marks the service's process, with the space that ends it (settings
     * and {@code -jar} always follow). why: {@code <data>/gpu-worker} is a prefix of {@code <data>/gpu-worker-2}; only
     * the whole argument tells the first gpu-worker from the second.
     */
    private static String marker(Path home) {
        return MARKER_OPTION + home + " ";
    }

    /** The {@code -Dkey=value} settings that point the service at the stack. */
    protected abstract Map<String, String> settings();

    /** The service's HTTP base URL. */
    protected abstract String url();

    /** What it is ready for, as the progress line says it. */
    protected abstract String readyMessage();

    /** The JVM's maximum heap as {@code -Xmx} takes it ({@code 384m}, {@code 1g}). */
    protected String maxHeap() {
        return DEFAULT_MAX_HEAP;
    }

    /** @param maxHeap as {@code -Xmx} takes it @return the heap and the options a service that only answers requests runs with */
    static List<String> jvm(String maxHeap) {
        return jvm(maxHeap, false);
    }

    /**
     * @param maxHeap      as {@code -Xmx} takes it
     * @param computeBound whether the service's tasks are long numeric loops ({@link #computeBound()})
     * @return the heap and the options every service runs with
     */
    static List<String> jvm(String maxHeap, boolean computeBound) {
        List<String> jvm = new ArrayList<>(List.of("-Xms32m", "-Xmx" + maxHeap));
        if (!computeBound) {
            jvm.add(JavaServer.QUICK_START);
        }
        jvm.addAll(JVM);
        return jvm;
    }

    /**
     * Whether the service's tasks are long numeric loops (registration, resampling, fusion), which
     * then get the optimising compiler as well. why: it runs the atlas registration's inner loops
     * in about half the CPU time of the quick compiler alone (BENCHMARKS.md, section 22), which a
     * worker repays within its first scan; a service that only answers requests keeps the quicker start.
     */
    protected boolean computeBound() {
        return false;
    }

    /** JVM options beyond the common ones, before {@code -jar}: what the service's libraries read at class load. */
    protected List<String> jvmOptions() {
        return List.of();
    }

    /** Environment variables the process gets on top of the stack's own environment. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** How long it may take to become ready: the stack's per-component timeout unless it needs more. */
    protected Duration startTimeout() {
        return config.startTimeout();
    }

    /** {@code <data>/<name>/}: its working directory, for files of its own. */
    protected Path home() {
        return home;
    }

    Optional<Path> jar() {
        return config.serviceJar(module);
    }

    @Override
    public boolean installed() {
        return jar().filter(Files::isRegularFile).isPresent();
    }

    /**
     * A missing jar. {@code up} calls this only when the services are {@linkplain StackConfig#servicesRequired()
     * required}; otherwise it skips a service that is not built.
     */
    @Override
    public void preflight() {
        if (!installed()) {
            throw notBuilt();
        }
    }

    private StackException notBuilt() {
        return new StackException(name(), jar().map(j -> "not built: its jar " + j + " is missing; " + BUILD_HINT)
                .orElse("not built here: no services home to find " + module + "/target/quarkus-app/quarkus-run.jar in "
                        + "(run from the repository or set TRIPLANE_SERVICES_HOME to it)"));
    }

    @Override
    public long start(StartContext ctx) throws IOException {
        Path jar = jar().filter(Files::isRegularFile).orElseThrow(this::notBuilt);
        Files.createDirectories(home);
        long pid = process.launch(command(jar), home, processEnvironment()).pid();
        ctx.progress(name(), "started (pid " + pid + ")");
        return pid;
    }

    /** The service's own environment plus its secret settings ({@link SecretSettings}). */
    Map<String, String> processEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(environment());
        env.putAll(SecretSettings.asEnvironment(settings()));
        return env;
    }

    /**
     * {@code java <heap> <common options> <service's options> -Dstack.component=<home> -D<settings> -jar <jar>},
     * the secret settings left out ({@link #processEnvironment()} carries them).
     */
    List<String> command(Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Os.javaExecutable().toString());
        cmd.addAll(jvm(maxHeap(), computeBound()));
        cmd.addAll(jvmOptions());
        // why: the marker that lets `down` recognise this process by its command line; not under
        // triplane.*, where the services reject settings they do not know
        cmd.add(MARKER_OPTION + home);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("quarkus.http.host", StackConfig.HOST);
        s.put("quarkus.http.port", Integer.toString(primaryPort()));
        s.putAll(settings());
        s.forEach((k, v) -> {
            if (!SecretSettings.isSecret(k)) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    @Override
    public void awaitReady(StartContext ctx) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(HEALTH_TIMEOUT).build();
        ctx.readiness(name(), process, startTimeout()).await(url() + "/q/health/ready to answer 200", () -> {
            HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body().replaceAll("\\s+", " "));
            }
        });
        ctx.progress(name(), readyMessage());
    }

    @Override
    public ComponentStatus status() {
        ComponentStatus s = super.status();
        if (s.state() != ComponentStatus.State.STOPPED || installed()) {
            return s;
        }
        Map<String, Object> m = new LinkedHashMap<>(endpoints());
        m.put("hint", BUILD_HINT);
        return new ComponentStatus(name(), ComponentStatus.State.NOT_BUILT, false, null, m, null);
    }

    @Override
    protected ManagedProcess.Signal stopSignal() {
        return ManagedProcess.Signal.TERM;
    }

    @Override
    protected Duration stopGrace() {
        return Duration.ofSeconds(30);
    }
}
