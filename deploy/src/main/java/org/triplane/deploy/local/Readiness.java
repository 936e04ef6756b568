package org.triplane.deploy.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * Polls a check until it passes, the component's process ends, its deadline passes or another
 * component's failure aborts the start. Every failure is a {@link StackException} that names the
 * component and its log. An attempt that began before the deadline may finish after it: each
 * check bounds its own calls (a few seconds).
 */
final class Readiness {
    private static final Duration POLL = Duration.ofMillis(250);

    /** A check that returns when the component is ready and throws while it is not yet. */
    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    private final String component;
    private final ManagedProcess process;
    private final Duration timeout;
    private final Instant deadline;
    private final BooleanSupplier aborted;

    /**
     * @param process the component's process, or {@code null} for a server the stack does not run
     */
    Readiness(String component, ManagedProcess process, Duration timeout, BooleanSupplier aborted) {
        this.component = component;
        this.process = process;
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
        this.aborted = aborted;
    }

    /**
     * Waits until {@code check} passes.
     *
     * @param what what is being waited for, as in "not ready within 120 s: waited for WHAT"
     */
    void await(String what, Check check) {
        Exception last = null;
        while (true) {
            if (aborted.getAsBoolean()) {
                throw StackException.abandoned(component, log());
            }
            if (process != null && !process.isAlive()) {
                OptionalInt code = process.exitCode();
                String last1 = process.lastLogLine();
                throw new StackException(component, "the server exited during start"
                        + (code.isPresent() ? " with code " + code.getAsInt() : "")
                        + (last1.isEmpty() ? "" : "; last log line: " + last1), log(), last);
            }
            try {
                check.run();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException(component, "interrupted while waiting for " + what, log(), e);
            } catch (Exception e) {
                last = e;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new StackException(component, "not ready within " + (timeout.toMillis() < 1000 ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s")
                        + ": waited for " + what
                        + (last == null ? "" : "; last error: " + describe(last)), log(), last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException(component, "interrupted while waiting for " + what, log(), e);
            }
        }
    }

    private Path log() {
        return process == null ? null : process.logFile();
    }

    /** The innermost message, which is usually the one that says what is wrong. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
