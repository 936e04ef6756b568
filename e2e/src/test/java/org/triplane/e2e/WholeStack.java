package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.testing.TestStack;

/** The local stack with all four services, as the tests that run whole jobs need it. */
final class WholeStack {
    private WholeStack() {
    }

    /**
     * Starts the servers, the api-gateway and the three workers (packaged under the services home)
     * and fails unless every service runs: a service not built would otherwise show up only as a job
     * that never ends.
     *
     * @param dir temporary directory of the test
     */
    static TestStack start(Path dir) throws Exception {
        TestStack stack = TestStack.startWithServices(dir, List.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker"));
        for (String service : List.of("gateway", "preprocess-worker", "gpu-worker", "fusion-worker")) {
            ComponentStatus s = stack.status().component(service).orElseThrow();
            assertThat(s.state()).as("%s (services home %s): %s", service, stack.config().servicesHome().orElse(null), s)
                    .isEqualTo(ComponentStatus.State.RUNNING);
        }
        return stack;
    }
}
