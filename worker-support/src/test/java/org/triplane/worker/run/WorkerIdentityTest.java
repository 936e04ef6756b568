package org.triplane.worker.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerIdentityTest {

    @Test
    void aConfiguredIdIsTakenAsItIs() {
        WorkerIdentity id = WorkerIdentity.of(Optional.of("worker-1"), "preprocess");

        assertThat(id.id()).isEqualTo("worker-1");
        assertThat(id.sweeper()).isEqualTo("worker-1/sweeper");
    }

    @Test
    void withoutOneTheIdNamesServiceHostAndProcess() {
        String id = WorkerIdentity.of(Optional.empty(), "gpu").id();

        assertThat(id).startsWith("gpu@").endsWith(":" + ProcessHandle.current().pid());
        assertThat(id.substring("gpu@".length(), id.lastIndexOf(':'))).isNotBlank();
    }
}
