package org.triplane.deploy.local;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What one {@code up} gives each component it starts.
 *
 * @param started  when {@code up} began (progress lines and reports measure from here)
 * @param timeout  how long each component may take to become ready
 * @param aborted  true once another component has failed: waiting on stops early
 * @param listener where progress goes
 */
record StartContext(Instant started, Duration timeout, BooleanSupplier aborted, StackListener listener) {
    /** A readiness wait for a component, its deadline {@link #timeout} from now. */
    Readiness readiness(String component, ManagedProcess process) {
        return readiness(component, process, timeout);
    }

    /** A readiness wait with a deadline of its own, for a component that needs longer than {@link #timeout}. */
    Readiness readiness(String component, ManagedProcess process, Duration componentTimeout) {
        return new Readiness(component, process, componentTimeout, aborted);
    }

    void progress(String component, String message) {
        listener.progress(component, message);
    }
}
