package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up} refuses a taken gpu- or fusion-worker port before it starts anything. No process is
 * started: the check fails first (PostgreSQL is an external URL, so nothing of it is checked).
 */
class WorkerPortCheckTest {
    @TempDir
    Path dir;

    @Test
    void aTakenGpuWorkerPortIsNamedWithItsSetting() throws Exception {
        StackException e = upWithTakenPort("gpu-worker", StackConfig.Builder::optGpuWorkerPort);

        assertEquals("gpu-worker", e.component());
        assertTrue(e.getMessage().contains("-Dtriplane.gpu.port=N or TRIPLANE_GPU_PORT=N"), e.getMessage());
    }

    @Test
    void aTakenFusionWorkerPortIsNamedWithItsSetting() throws Exception {
        StackException e = upWithTakenPort("fusion-worker", StackConfig.Builder::optFusionWorkerPort);

        assertEquals("fusion-worker", e.component());
        assertTrue(e.getMessage().contains("-Dtriplane.fusion.port=N or TRIPLANE_FUSION_PORT=N"), e.getMessage());
    }

    private StackException upWithTakenPort(String module, BiFunction<StackConfig.Builder, Integer, StackConfig.Builder> port)
            throws IOException {
        Path jar = dir.resolve("repo").resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(StackConfig.HOST))) {
            int[] free = FreePorts.pick(3);
            StackConfig.Builder b = StackConfig.builder().setDataDir(dir.resolve("data")).optServicesHome(dir.resolve("repo"))
                    .optExternalPostgresUrl("jdbc:postgresql://127.0.0.1:1/none")
                    .optKafkaPort(free[0]).optKafkaControllerPort(free[1]).optS3Port(free[2]);
            LocalStack stack = new LocalStack(port.apply(b, taken.getLocalPort()).build());
            try {
                StackException e = assertThrows(StackException.class, stack::up);

                assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " (HTTP)"), e.getMessage());
                assertTrue(stack.status().allStopped(), "something started: " + stack.status().toMap());
                assertFalse(Files.exists(dir.resolve("data/logs")), "no server was launched");
                return e;
            } finally {
                // why: should the check ever pass, the servers it started must not outlive the test
                stack.down();
            }
        }
    }
}
