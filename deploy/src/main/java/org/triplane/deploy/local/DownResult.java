package org.triplane.deploy.local;

import java.time.Duration;
import java.util.List;

/**
 * What {@code down} did.
 *
 * @param components one report per component
 * @param status     the stack afterwards
 * @param elapsed    the whole {@code down}
 */
public record DownResult(List<Stopped> components, StackStatus status, Duration elapsed) {
    public DownResult {
        components = List.copyOf(components);
    }

    /** How a component ended. */
    public enum Outcome {
        /** Its process ended on the polite signal. */
        STOPPED,
        /** Its process ignored the polite signal for too long and was killed (SIGKILL). */
        KILLED,
        /** It was not running. */
        NOT_RUNNING,
        /** A configured server the stack does not run: left alone. */
        EXTERNAL
    }

    /**
     * One component after {@code down}.
     *
     * @param name    component name
     * @param outcome {@link Outcome}
     * @param pid     the process id it had, or {@code null}
     * @param elapsed how long stopping it took
     */
    public record Stopped(String name, Outcome outcome, Long pid, Duration elapsed) {
    }
}
