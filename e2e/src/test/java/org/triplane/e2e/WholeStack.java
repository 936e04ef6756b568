package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.testing.TestStack;

/**
 * The local stack with all four services, for the test classes that run whole jobs: a class that
 * extends it finds the stack in {@link #stack}, started before its first test, and a temporary
 * folder of its own in {@link #dir}; after its last test the stack stops with nothing left running.
 * Test classes run one after the other, so the static fields belong to one class at a time.
 */
abstract class WholeStack {
    @TempDir
    static Path dir;

    static TestStack stack;

    @BeforeAll
    static void startWholeStack() throws Exception {
        stack = start(dir);
    }

    @AfterAll
    static void stopWholeStack() {
        TestStack.stopLeavingNothing(stack);
    }

    /**
     * Starts the servers, the api-gateway and the three workers (packaged under the services home)
     * and fails unless every service runs: a service not built would otherwise show up only as a job
     * that never ends.
     */
    private static TestStack start(Path dir) throws Exception {
        TestStack started = TestStack.startWithServices(dir, List.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker"));
        for (String service : List.of("gateway", "preprocess-worker", "gpu-worker", "fusion-worker")) {
            ComponentStatus s = started.status().component(service).orElseThrow();
            assertThat(s.state()).as("%s (services home %s): %s", service, started.config().servicesHome().orElse(null), s)
                    .isEqualTo(ComponentStatus.State.RUNNING);
        }
        return started;
    }
}
