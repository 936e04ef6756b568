package org.triplane.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings that make a worker under test lose and reclaim leases within seconds: a killed
 * worker's task is swept and redone well inside a test's timeout.
 */
public final class QuickLeases {
    private QuickLeases() {
    }

    /**
     * @param prefix   the worker's configuration prefix, e.g. {@code triplane.preprocess}
     * @param workerId its id in the task table and the transition log
     * @return {@code <prefix>.worker-id}, a 4 s lease, a 1 s heartbeat and a sweep every second; a
     *         mutable map in that order, for the service's own settings to be added
     */
    public static Map<String, String> of(String prefix, String workerId) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(prefix + ".worker-id", workerId);
        settings.put(prefix + ".lease", "4s");
        settings.put(prefix + ".heartbeat", "1s");
        settings.put(prefix + ".sweep-interval", "1s");
        return settings;
    }
}
