package org.triplane.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks loopback ports that are free right now, for a stack (or a service) started by a test next
 * to a running default stack.
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** {@code n} distinct free ports on {@link StackConfig#HOST}. */
    public static int[] pick(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            // why: all sockets stay open until every port is chosen, so the n ports are distinct
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(StackConfig.HOST));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on " + StackConfig.HOST, e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a socket that fails to close still frees its port when the test JVM ends
                }
            }
        }
    }
}
