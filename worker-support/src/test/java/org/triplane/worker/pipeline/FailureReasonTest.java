package org.triplane.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.imaging.plane.Plane;

class FailureReasonTest {
    private static final String EXPIRED = "lease expired on the last attempt 3 of 3 (worker w); the worker stopped responding each time";

    @Test
    void aFailedTrainTaskNamesItsNetworkAndItselfInTheJobsReason() {
        Task train = failed(TaskKind.TRAIN, null, Plane.AXIAL);

        assertThat(JobFlow.failureReason(train))
                .isEqualTo("training of the AXIAL network (task " + train.id() + ") failed: " + EXPIRED);
    }

    @Test
    void aFailedFoldTaskAlsoNamesItsFold() {
        Task train = new Task(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null, TaskKind.TRAIN, Plane.SAGITTAL, 2,
                TaskState.FAILED, 3, 3, "w", null, null, Instant.now(), null, Instant.now(), EXPIRED, null, null, 4);

        assertThat(JobFlow.failureReason(train))
                .isEqualTo("training of the SAGITTAL network for fold 2 (task " + train.id() + ") failed: " + EXPIRED);
    }

    @Test
    void aFailedPerScanTaskPassesItsErrorOnUnchanged() {
        assertThat(JobFlow.failureReason(failed(TaskKind.PREPROCESS, UUID.randomUUID(), null))).isEqualTo(EXPIRED);
        assertThat(JobFlow.failureReason(failed(TaskKind.PLANE, UUID.randomUUID(), Plane.CORONAL))).isEqualTo(EXPIRED);
    }

    private static Task failed(TaskKind kind, UUID scanId, Plane plane) {
        return new Task(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), scanId, kind, plane, TaskState.FAILED, 3, 3,
                "w", null, null, Instant.now(), null, Instant.now(), EXPIRED, null, null, 4);
    }
}
