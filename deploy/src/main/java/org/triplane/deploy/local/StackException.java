package org.triplane.deploy.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The local stack could not do what was asked. The message is meant for a person: it names the
 * component, the port or file involved and, when there is one, the log to read next.
 */
public final class StackException extends RuntimeException {
    private final String component;
    private final transient Path log;
    private final boolean abandoned;

    public StackException(String component, String message, Path log, Throwable cause) {
        this(component, message, log, cause, false);
    }

    private StackException(String component, String message, Path log, Throwable cause, boolean abandoned) {
        super(component + ": " + message + (log == null ? "" : " (log: " + log + ")"), cause);
        this.component = component;
        this.log = log;
        this.abandoned = abandoned;
    }

    /** A component whose start was given up because another one failed: not a fault of its own. */
    static StackException abandoned(String component, Path log) {
        return new StackException(component, "start abandoned because another component failed", log, null, true);
    }

    /** Whether this is only the consequence of another component's failure. */
    boolean isAbandoned() {
        return abandoned;
    }

    public StackException(String component, String message) {
        this(component, message, null, null);
    }

    /**
     * The component that failed: {@code postgres}, {@code kafka}, {@code objectstore}, {@code gateway},
     * {@code preprocess-worker}, {@code gpu-worker}, {@code fusion-worker} or {@code stack}.
     */
    public String component() {
        return component;
    }

    /** The log file that says more, if the component has one. */
    public Optional<Path> log() {
        return Optional.ofNullable(log);
    }
}
