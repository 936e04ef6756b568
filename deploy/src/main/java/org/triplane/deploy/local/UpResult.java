package org.triplane.deploy.local;

import java.time.Duration;
import java.util.List;

/**
 * What {@code up} did.
 *
 * @param components one report per component, in start order
 * @param status     the stack afterwards
 * @param elapsed    the whole {@code up}
 */
public record UpResult(List<Started> components, StackStatus status, Duration elapsed) {
    public UpResult {
        components = List.copyOf(components);
    }

    /** What happened to one component. */
    public enum Action {
        /** Started by this {@code up}. */
        STARTED,
        /** Was already running; only health-checked. */
        ALREADY_RUNNING,
        /** A configured server the stack does not run; only health-checked. */
        EXTERNAL
    }

    /**
     * One component after {@code up}: ready in every case.
     *
     * @param name    component name
     * @param action  {@link Action}
     * @param pid     its process id, or {@code null} for an external server
     * @param elapsed from the start of {@code up} until it was ready
     */
    public record Started(String name, Action action, Long pid, Duration elapsed) {
    }
}
