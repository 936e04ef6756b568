package org.triplane.worker.run;

import java.net.InetAddress;
import java.util.Optional;

/**
 * This instance's name in the task table, the transition log and its dead letters.
 *
 * @param id the name, e.g. {@code preprocess@host:1234}
 */
public record WorkerIdentity(String id) {

    /**
     * @param configured the id the service's configuration sets, if any
     * @param service    short service name, the prefix of the default id
     * @return the configured id, else {@code <service>@<host>:<pid>}
     */
    public static WorkerIdentity of(Optional<String> configured, String service) {
        return new WorkerIdentity(configured.orElseGet(() -> service + "@" + host() + ":" + ProcessHandle.current().pid()));
    }

    /** The name the sweeper of this instance records as the actor of what it reclaims. */
    public String sweeper() {
        return id + "/sweeper";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            // why: a host without a resolvable name still has a unique pid-based id within it
            return "unknown-host";
        }
    }
}
