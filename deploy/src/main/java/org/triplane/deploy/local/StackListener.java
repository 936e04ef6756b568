package org.triplane.deploy.local;

/** Progress of {@code up} and {@code down}, one line per step, for a person watching. */
@FunctionalInterface
public interface StackListener {
    /** Ignores everything. */
    StackListener NONE = (component, message) -> {
    };

    /**
     * Called from the threads that start the components, so lines of different components
     * interleave.
     *
     * @param component {@code postgres}, {@code kafka}, {@code objectstore} or {@code stack}
     * @param message what just happened, e.g. "ready at 127.0.0.1:19092"
     */
    void progress(String component, String message);
}
