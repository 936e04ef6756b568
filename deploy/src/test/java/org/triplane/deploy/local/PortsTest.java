package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void aTakenPortIsRefusedNamingPortComponentAndSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(StackConfig.HOST))) {
            int port = taken.getLocalPort();

            assertFalse(Ports.isFree(port));
            assertTrue(Ports.accepts(port, Duration.ofSeconds(1)));
            StackException e = assertThrows(StackException.class,
                    () -> Ports.requireFree(new Ports.Use("postgres", "SQL", port, "TRIPLANE_PG_PORT=N")));
            assertEquals("postgres", e.component());
            assertEquals("postgres: port " + port + " (SQL) on 127.0.0.1 is already in use; stop what listens there "
                    + "or choose another port with TRIPLANE_PG_PORT=N", e.getMessage());
        }
    }
}
