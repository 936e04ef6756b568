package org.triplane.deploy.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback port checks. */
final class Ports {
    private Ports() {
    }

    /**
     * A port a component needs.
     *
     * @param component the component that binds it
     * @param role      what it is for ({@code client}, {@code controller}, ...)
     * @param port      the port number on {@link StackConfig#HOST}
     * @param setting   the system property and environment variable that choose it
     */
    record Use(String component, String role, int port, String setting) {
    }

    /** Throws, naming the port, the component and how to choose another, if the port is taken. */
    static void requireFree(Use use) {
        if (!isFree(use.port())) {
            throw new StackException(use.component(), "port " + use.port() + " (" + use.role() + ") on " + StackConfig.HOST
                    + " is already in use; stop what listens there or choose another port with " + use.setting());
        }
    }

    /** Whether a server could bind the port on the loopback address now. */
    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            // why: the servers bind with SO_REUSEADDR too, so a connection of theirs still in TIME_WAIT is no conflict
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(StackConfig.HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections on the loopback port. */
    static boolean accepts(int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(StackConfig.HOST, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
