package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local stack: PostgreSQL, a Kafka broker (KRaft) and an S3-API object store, each a separate
 * OS process that outlives the JVM that started it, with the pipeline's database, {@link Topics}
 * and bucket; then, when their jars are built, the api-gateway and one each of the
 * preprocess-worker and fusion-worker, and {@link StackConfig#gpuWorkers()} gpu-workers ({@link StackConfig#infrastructureOnly()}: the
 * three servers only, the services not even listed). A service that is not built is skipped, or
 * fails {@code up} when the services are {@linkplain StackConfig#servicesRequired() required}.
 * {@link #up()}, {@link #down()} and {@link #status()} may each run in a different JVM: the data
 * directory (pid files, logs, data) is the only state.
 *
 * <pre>{@code
 * LocalStack stack = new LocalStack(StackConfig.fromEnvironment().build(), StackListener.NONE);
 * UpResult up = stack.up();        // returns once every component is ready, or throws
 * String jdbc = stack.config().jdbcUrl();
 * stack.down();
 * }</pre>
 */
public final class LocalStack {
    private static final Duration LOCK_WAIT = Duration.ofMinutes(5);

    private final StackConfig config;
    private final StackListener listener;
    /**
     * Start order: the servers side by side, then the gateway (it migrates the schema), then the
     * preprocess-worker (it logs in as a role the migration enabled), then the gpu- and
     * fusion-worker side by side. {@code down} goes in reverse.
     */
    private final List<List<Component>> phases;
    private final List<Component> components;

    public LocalStack(StackConfig config, StackListener listener) {
        this.config = config;
        this.listener = listener;
        this.phases = phases(config);
        this.components = phases.stream().flatMap(List::stream).toList();
    }

    public LocalStack(StackConfig config) {
        this(config, StackListener.NONE);
    }

    private static List<List<Component>> phases(StackConfig config) {
        List<Component> servers = List.of(
                config.externalPostgresUrl().isPresent() ? new ExternalPostgresComponent(config) : new PostgresComponent(config),
                new KafkaComponent(config),
                new ObjectStoreComponent(config));
        if (config.infrastructureOnly()) {
            return List.of(servers);
        }
        // why: every worker logs in as the role the gateway's migration enables; the later stages
        // (the gpu-worker's start loads libtorch) wait so that on 2 cores the first stage comes up first
        List<Component> last = new ArrayList<>();
        for (int i = 1; i <= config.gpuWorkers(); i++) {
            last.add(new GpuWorkerComponent(config, i));
        }
        last.add(new FusionWorkerComponent(config));
        return List.of(servers,
                List.of(new GatewayComponent(config)),
                List.of(new PreprocessWorkerComponent(config)),
                List.copyOf(last));
    }

    public StackConfig config() {
        return config;
    }

    /**
     * @return the JVM options the stack starts the gateway with ({@link StackConfig#GATEWAY_MAX_HEAP}
     *         among them), for a test or benchmark that starts the gateway itself and means to run it as
     *         the stack does
     */
    public static List<String> gatewayJvmOptions() {
        return QuarkusService.jvm(StackConfig.GATEWAY_MAX_HEAP);
    }

    /**
     * Starts what is not running, in parallel, and waits until every component is ready (the
     * ones already running are only health-checked). Before starting anything it checks that the
     * ports are free. If a component fails or is not ready within the timeout, the components
     * this call started are stopped again and the error names the component and its log.
     *
     * @throws StackException naming the component, port or log at fault
     */
    public UpResult up() {
        Instant t0 = Instant.now();
        try (StackLock lock = StackLock.acquire(config.lockFile(), LOCK_WAIT, listener)) {
            if (config.servicesRequired()) {
                requireBuilt();
            }
            for (Component c : components) {
                if (c.managed() && c.installed() && c.running().isEmpty()) {
                    c.preflight();
                    c.ports().forEach(Ports::requireFree);
                }
            }
            // why: a data directory a full stack also uses keeps its gateway's token; the servers alone never make one
            String token = config.infrastructureOnly() ? AdminToken.read(config) : AdminToken.ofOrNew(config);
            try {
                StackProperties.write(config, token);
            } catch (IOException e) {
                throw new StackException("stack", "cannot write " + config.propertiesFile() + ": " + e.getMessage(), null, e);
            }
            List<UpResult.Started> started = startAll(t0);
            return new UpResult(started, status(), Duration.between(t0, Instant.now()));
        }
    }

    /**
     * Fails naming every service that is neither built nor running. why: asked for the whole stack, a
     * stack that came up without some of its services would pass for a working one while their
     * ports never answer; all of them at once, so that one run says everything the build left out.
     */
    private void requireBuilt() {
        List<StackException> unbuilt = new ArrayList<>();
        for (Component c : components) {
            if (!c.installed() && c.running().isEmpty()) {
                try {
                    c.preflight();
                } catch (StackException e) {
                    unbuilt.add(e);
                }
            }
        }
        StackException first = rootCause(unbuilt);
        if (first != null) {
            throw first;
        }
    }

    /**
     * The packaged jar each service of this stack is started from, in start order: what a build
     * must have made for {@link #up()} to start the whole stack. Empty for a stack of the servers
     * only, or when no services home is known.
     */
    public List<Path> serviceJars() {
        return components.stream().filter(QuarkusService.class::isInstance)
                .flatMap(c -> ((QuarkusService) c).jar().stream()).distinct().toList();
    }

    private List<UpResult.Started> startAll(Instant t0) {
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        StartContext ctx = new StartContext(t0, config.startTimeout(), aborted::get, listener);
        Set<Component> startedHere = ConcurrentHashMap.newKeySet();
        // why: Ctrl-C during `up` must not leave half a stack behind either
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                stopInOrder(List.copyOf(startedHere));
            }
        }, "triplane-stack-abandoned-up");
        Runtime.getRuntime().addShutdownHook(hook);
        int width = phases.stream().mapToInt(List::size).max().orElse(1);
        ExecutorService pool = Executors.newFixedThreadPool(width, daemonThreads("triplane-stack-up"));
        try {
            List<UpResult.Started> reports = new ArrayList<>();
            for (List<Component> phase : phases) {
                List<Component> startable = new ArrayList<>();
                for (Component c : phase) {
                    if (c.installed() || c.running().isPresent()) {
                        startable.add(c);
                    } else {
                        listener.progress(c.name(), "not built, skipped (" + QuarkusService.BUILD_HINT + ")");
                    }
                }
                reports.addAll(startPhase(startable, pool, ctx, startedHere, aborted));
            }
            return reports;
        } finally {
            finished.set(true);
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs and finds nothing to do
            }
        }
    }

    /** Starts one phase's components in parallel; on a failure stops everything this {@code up} started, then throws. */
    private List<UpResult.Started> startPhase(List<Component> phase, ExecutorService pool, StartContext ctx,
            Set<Component> startedHere, AtomicBoolean aborted) {
        List<Future<UpResult.Started>> futures = new ArrayList<>();
        for (Component c : phase) {
            futures.add(pool.submit(() -> bringUp(c, ctx, startedHere, aborted)));
        }
        List<UpResult.Started> reports = new ArrayList<>();
        List<StackException> failures = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                reports.add(futures.get(i).get());
            } catch (ExecutionException e) {
                failures.add(asStackException(phase.get(i), e.getCause()));
            } catch (InterruptedException e) {
                aborted.set(true);
                failures.add(new StackException("stack", "interrupted while starting", null, e));
                break;
            }
        }
        StackException failure = rootCause(failures);
        if (failure != null) {
            // why: stopping must finish even when the wait above was interrupted
            boolean interrupted = Thread.interrupted();
            if (!startedHere.isEmpty()) {
                listener.progress("stack", "stopping what this start began: "
                        + String.join(", ", startedHere.stream().map(Component::name).sorted().toList()));
                stopInOrder(List.copyOf(startedHere));
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw failure;
        }
        return reports;
    }

    private static UpResult.Started bringUp(Component c, StartContext ctx, Set<Component> startedHere, AtomicBoolean aborted)
            throws IOException {
        try {
            if (!c.managed()) {
                c.awaitReady(ctx);
                return new UpResult.Started(c.name(), UpResult.Action.EXTERNAL, null, since(ctx.started()));
            }
            Optional<ProcessHandle> running = c.running();
            UpResult.Action action;
            long pid;
            if (running.isPresent()) {
                pid = running.get().pid();
                action = UpResult.Action.ALREADY_RUNNING;
                ctx.progress(c.name(), "already running (pid " + pid + ")");
            } else {
                startedHere.add(c);
                pid = c.start(ctx);
                action = UpResult.Action.STARTED;
            }
            c.awaitReady(ctx);
            return new UpResult.Started(c.name(), action, pid, since(ctx.started()));
        } catch (IOException | RuntimeException e) {
            aborted.set(true);
            throw e;
        }
    }

    /** The first failure that is a component's own (not "abandoned"), the others attached as suppressed. */
    private static StackException rootCause(List<StackException> failures) {
        StackException first = failures.stream().filter(f -> !f.isAbandoned()).findFirst()
                .orElse(failures.isEmpty() ? null : failures.get(0));
        if (first != null) {
            failures.stream().filter(f -> f != first && !f.isAbandoned()).forEach(first::addSuppressed);
        }
        return first;
    }

    private static StackException asStackException(Component c, Throwable t) {
        if (t instanceof StackException se) {
            return se;
        }
        return new StackException(c.name(), "start failed: " + Readiness.describe(t), c.log(), t);
    }

    /**
     * Stops every component the stack runs (in parallel; SIGTERM or PostgreSQL's fast shutdown,
     * then SIGKILL after a grace period), from any JVM. Stopping a stopped stack does nothing.
     */
    public DownResult down() {
        Instant t0 = Instant.now();
        try (StackLock lock = StackLock.acquire(config.lockFile(), LOCK_WAIT, listener)) {
            // why: gpu-workers an earlier `up` started with a larger count than this one names would
            // otherwise keep running (and holding the plane tasks' partitions) after `down`
            List<DownResult.Stopped> reports = new ArrayList<>(stopAll(extraGpuWorkers()));
            // why: a service that was never built has nothing to stop and nothing worth reporting
            reports.addAll(0, stopInOrder(components.stream()
                    .filter(c -> c.installed() || c.running().isPresent()).toList()));
            return new DownResult(reports, status(), Duration.between(t0, Instant.now()));
        }
    }

    /** Running gpu-workers numbered beyond {@link StackConfig#gpuWorkers()}, found by their pid files. */
    private List<Component> extraGpuWorkers() {
        if (config.infrastructureOnly()) {
            return List.of();
        }
        List<Component> extra = new ArrayList<>();
        for (int i = config.gpuWorkers() + 1; i <= StackConfig.MAX_GPU_WORKERS; i++) {
            GpuWorkerComponent worker = new GpuWorkerComponent(config, i);
            if (worker.running().isPresent()) {
                extra.add(worker);
            }
        }
        return extra;
    }

    /** Stops the later phases first (services before the servers they use), each phase in parallel. */
    private List<DownResult.Stopped> stopInOrder(List<Component> which) {
        List<DownResult.Stopped> reports = new ArrayList<>();
        for (int i = phases.size() - 1; i >= 0; i--) {
            List<Component> phase = phases.get(i).stream().filter(which::contains).toList();
            reports.addAll(0, stopAll(phase));
        }
        return reports;
    }

    private List<DownResult.Stopped> stopAll(List<Component> which) {
        if (which.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(which.size(), daemonThreads("triplane-stack-down"));
        try {
            List<Future<DownResult.Stopped>> futures = new ArrayList<>();
            for (Component c : which) {
                Callable<DownResult.Stopped> stop = () -> {
                    DownResult.Stopped s = c.stop();
                    report(s);
                    return s;
                };
                futures.add(pool.submit(stop));
            }
            List<DownResult.Stopped> reports = new ArrayList<>();
            StackException failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    reports.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    StackException se = asStackException(which.get(i), e.getCause());
                    if (failure == null) {
                        failure = se;
                    } else {
                        failure.addSuppressed(se);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("stack", "interrupted while stopping", null, e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private void report(DownResult.Stopped s) {
        String what = switch (s.outcome()) {
            case STOPPED -> "stopped (pid " + s.pid() + ")";
            case KILLED -> "killed after the grace period (pid " + s.pid() + ")";
            case NOT_RUNNING -> "was not running";
            case EXTERNAL -> "external server, left running";
        };
        listener.progress(s.name(), what);
    }

    /** Each component's state and endpoints; cheap, takes no lock, starts nothing. */
    public StackStatus status() {
        List<ComponentStatus> list = new ArrayList<>();
        for (Component c : components) {
            list.add(c.status());
        }
        return new StackStatus(config.dataDir(), list);
    }

    private static Duration since(Instant t0) {
        return Duration.between(t0, Instant.now());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix);
            t.setDaemon(true);
            return t;
        };
    }
}
