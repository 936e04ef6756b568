package org.triplane.deploy.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** What the components the stack runs as processes have in common: pid, log, status and stop. */
abstract class ServerComponent implements Component {
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    protected final StackConfig config;
    protected final ManagedProcess process;

    /**
     * @param marker a path that appears on the server's command line and nowhere else's
     */
    protected ServerComponent(StackConfig config, String name, Path marker) {
        this(config, name, marker.toString());
    }

    /**
     * @param marker text that appears on the server's command line and on no other's
     */
    protected ServerComponent(StackConfig config, String name, String marker) {
        this.config = config;
        this.process = new ManagedProcess(name, config.pidFile(name), config.logFile(name), marker);
    }

    /** The port whose accepting connections means "running" in {@code status}. */
    protected abstract int primaryPort();

    /** How to reach it, as {@code status} shows it. */
    protected abstract Map<String, Object> endpoints();

    protected abstract ManagedProcess.Signal stopSignal();

    /** How long the server may take to stop on its signal before it is killed. */
    protected abstract Duration stopGrace();

    @Override
    public boolean managed() {
        return true;
    }

    @Override
    public Optional<ProcessHandle> running() {
        return process.running();
    }

    /** {@code <data>/logs/<name>.log}. */
    @Override
    public Path log() {
        return process.logFile();
    }

    @Override
    public ComponentStatus status() {
        Optional<ProcessHandle> h = running();
        ComponentStatus.State state = h.isEmpty() ? ComponentStatus.State.STOPPED
                : Ports.accepts(primaryPort(), PROBE_TIMEOUT) ? ComponentStatus.State.RUNNING
                : ComponentStatus.State.UNRESPONSIVE;
        return new ComponentStatus(name(), state, true, h.map(ProcessHandle::pid).orElse(null), endpoints(), log());
    }

    @Override
    public DownResult.Stopped stop() {
        long t0 = System.nanoTime();
        Long pid = running().map(ProcessHandle::pid).orElse(null);
        DownResult.Outcome outcome = process.stop(stopSignal(), stopGrace());
        return new DownResult.Stopped(name(), outcome, pid, Duration.ofNanos(System.nanoTime() - t0));
    }
}
