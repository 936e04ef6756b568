package org.triplane.deploy.local;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One component as {@code status} sees it.
 *
 * @param name      {@code postgres}, {@code kafka}, {@code objectstore}, {@code gateway}, {@code preprocess-worker},
 *                  {@code gpu-worker} or {@code fusion-worker}
 * @param state     {@link State}
 * @param managed   whether the stack runs it as a process (false: external, or not installed)
 * @param pid       its process id while it runs, else {@code null}
 * @param endpoints how to reach it, in the order the JSON shows them ({@code url},
 *                  {@code bootstrap}, {@code endpoint}, {@code bucket}, ...)
 * @param log       its log file, or {@code null} when the stack does not run it
 */
public record ComponentStatus(String name, State state, boolean managed, Long pid, Map<String, Object> endpoints,
        Path log) {
    /** What a component is doing. */
    public enum State {
        /** It accepts connections (for a managed one: its process runs too). */
        RUNNING("running"),
        /** Its process runs but does not accept connections (starting, or stuck). */
        UNRESPONSIVE("unresponsive"),
        /** No process (a pid file of a process that is gone counts as none). */
        STOPPED("stopped"),
        /** A configured external server that does not answer. */
        UNREACHABLE("unreachable"),
        /** A service whose packaged jar does not exist: {@code up} skips it. */
        NOT_BUILT("not-built");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** The word the JSON shows. */
        public String label() {
            return label;
        }
    }

    public ComponentStatus {
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** {@code state}, the endpoints, then {@code pid} and {@code log} for a managed component. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.label());
        m.putAll(endpoints);
        if (managed) {
            m.put("pid", pid);
            m.put("log", log == null ? null : log.toString());
        }
        return m;
    }
}
