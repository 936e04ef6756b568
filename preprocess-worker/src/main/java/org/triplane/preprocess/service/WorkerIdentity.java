package org.triplane.preprocess.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import org.triplane.preprocess.config.WorkerConfig;

/** This instance's name in the task table and the transition log. */
@ApplicationScoped
public class WorkerIdentity {
    private final String id;

    public WorkerIdentity(WorkerConfig config) {
        this.id = config.workerId().orElseGet(() -> "preprocess@" + host() + ":" + ProcessHandle.current().pid());
    }

    public String id() {
        return id;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
