package org.triplane.gpu.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.events.Topics;
import org.triplane.events.TrainTask;
import org.triplane.imaging.plane.Plane;
import org.triplane.messaging.EventCodec;

/** TrainTask events as this worker decodes them from Kafka, before and after the fold field existed. */
class TrainTaskWireTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void anEventWrittenBeforeFoldsExistedStillDecodesAsATaskWithoutFold() {
        // why a literal: this is the exact shape the producers wrote before the field was added
        String old = """
                {"schemaVersion":1,"eventId":"6f1c2a34-0d7e-4f7b-9a43-1b7a1c0e2d11",
                 "tenantId":"2b0c7c9e-5a41-4c7e-8a0e-3f6f0f7b9a01","jobId":"0a9e5c3d-77aa-4e0f-b1c2-9d8e7f6a5b40",
                 "taskId":"c3d2e1f0-1234-4abc-8def-0123456789ab","plane":"SAGITTAL",
                 "occurredAt":"2026-01-31T12:00:00.123Z"}""";

        TrainTask t = codec.decode(Topics.TRAIN_TASKS, old, TrainTask.class);

        assertThat(t.fold()).isNull();
        assertThat(t.plane()).isEqualTo(Plane.SAGITTAL);
        assertThat(t.taskId()).isEqualTo(UUID.fromString("c3d2e1f0-1234-4abc-8def-0123456789ab"));
        assertThat(t.key()).isEqualTo("0a9e5c3d-77aa-4e0f-b1c2-9d8e7f6a5b40:sagittal");
    }

    @Test
    void aFoldsEventRoundTripsWithItsFold() {
        TrainTask sent = new TrainTask(TrainTask.VERSION, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), Plane.CORONAL, Instant.parse("2026-02-01T08:00:00Z"), 2);

        String json = codec.encode(sent);
        TrainTask received = codec.decode(Topics.TRAIN_TASKS, json, TrainTask.class);

        assertThat(json).contains("\"fold\":2");
        assertThat(received).isEqualTo(sent);
        assertThat(received.key()).isEqualTo(sent.jobId() + ":coronal:fold2");
    }
}
