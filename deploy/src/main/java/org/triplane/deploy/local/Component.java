package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One server of the local stack, as {@link LocalStack} drives it. */
interface Component {
    /** {@code postgres}, {@code kafka}, {@code objectstore}, {@code gateway}, ...: names its log, pid file and folder. */
    String name();

    /** The ports it binds; empty for a server the stack does not run. */
    List<Ports.Use> ports();

    /** Whether the stack runs this server (false for a configured external one). */
    boolean managed();

    /** Whether it can be started here (false for a service whose jar was not built). */
    default boolean installed() {
        return true;
    }

    /** Its log file, or {@code null} for a server the stack does not run. */
    Path log();

    /** Its process, if it runs. */
    Optional<ProcessHandle> running();

    /**
     * Checks, before anything of the stack starts, what would make {@link #start} fail for
     * certain (missing jars, an operating system that cannot run the server).
     */
    void preflight();

    /**
     * One-time setup when needed (unpacking, initdb, storage format; kept across restarts), then
     * starts the server process without waiting for it.
     *
     * @return the server's pid
     */
    long start(StartContext ctx) throws IOException;

    /**
     * Waits until the server serves, then provisions what the pipeline needs (database, topics,
     * bucket), idempotently.
     */
    void awaitReady(StartContext ctx);

    /** Stops the server by pid; nothing when it does not run or is not the stack's. */
    DownResult.Stopped stop();

    ComponentStatus status();
}
