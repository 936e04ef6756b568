package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.events.PlaneTask;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.imaging.plane.Plane;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    static ScanEvent aScanEvent() {
        return new ScanEvent(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "t/ct.nii.gz",
                "t/transform.txt", null, "ab".repeat(32), Instant.parse("2026-01-31T12:00:00.123456Z"));
    }

    @Test
    void scanEventRoundTripsWithIsoInstants() {
        ScanEvent e = aScanEvent();

        String json = codec.encode(e);

        assertThat(json).contains("\"occurredAt\":\"2026-01-31T12:00:00.123456Z\"");
        assertThat(codec.decodeScanEvent(json)).isEqualTo(e);
    }

    @Test
    void planeTaskRoundTripsArraysAndPlane() {
        PlaneTask t = new PlaneTask(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), Plane.CORONAL, "k", new int[] {48, 48, 24}, new double[] {4.8, 4.8, 5.7},
                new double[] {-1, 2, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, -124, 130, Instant.EPOCH);

        PlaneTask back = codec.decodePlaneTask(codec.encode(t));

        assertThat(back.dims()).containsExactly(48, 48, 24);
        assertThat(back.spacing()).containsExactly(4.8, 4.8, 5.7);
        assertThat(back.direction()).hasSize(9);
        assertThat(back.plane()).isEqualTo(Plane.CORONAL);
        assertThat(back.occurredAt()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aPlaneTaskCarriesItsAtlasMapAndOneWrittenBeforeTheFieldReadsWithout() {
        double[] map = {0.98, 0.17, 0, -0.17, 0.98, 0, 0, 0, 1.02, 3.5, -2.25, 61};
        PlaneTask t = new PlaneTask(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), Plane.AXIAL, "k", new int[] {48, 48, 24}, new double[] {4.8, 4.8, 5.7},
                new double[] {-1, 2, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, -124, 130, Instant.EPOCH, map);

        assertThat(codec.decodePlaneTask(codec.encode(t)).rotatedToAtlas()).containsExactly(map);

        // a v1 event as producers wrote it before the field existed
        String old = "{\"schemaVersion\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"tenantId\":\"" + UUID.randomUUID()
                + "\",\"jobId\":\"" + UUID.randomUUID() + "\",\"scanId\":\"" + UUID.randomUUID() + "\",\"taskId\":\""
                + UUID.randomUUID() + "\",\"plane\":\"SAGITTAL\",\"volumeKey\":\"k\",\"dims\":[2,2,2],"
                + "\"spacing\":[1,1,1],\"origin\":[0,0,0],\"direction\":[1,0,0,0,1,0,0,0,1],\"windowLow\":-124,"
                + "\"windowHigh\":130,\"occurredAt\":\"2026-01-31T12:00:00Z\"}";
        PlaneTask decoded = codec.decodePlaneTask(old);
        assertThat(decoded.rotatedToAtlas()).isNull();
        assertThat(decoded.dims()).containsExactly(2, 2, 2);
    }

    @Test
    void aPlaneTaskWithAnIncompleteAtlasMapIsRefused() {
        String json = codec.encode(new PlaneTask(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), Plane.AXIAL, "k", new int[] {2, 2, 2}, new double[] {1, 1, 1}, new double[3],
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, -124, 130, Instant.EPOCH))
                .replace("\"rotatedToAtlas\":null", "\"rotatedToAtlas\":[1,0,0]");

        assertThatThrownBy(() -> codec.decodePlaneTask(json)).hasMessageContaining("rotatedToAtlas");
    }

    @Test
    void aScanEventWithoutATransformDecodes() {
        ScanEvent e = new ScanEvent(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "t/ct.nii.gz", null, null, "ab".repeat(32), Instant.EPOCH);

        assertThat(codec.decodeScanEvent(codec.encode(e)).transformKey()).isNull();
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = codec.encode(aScanEvent()).replaceFirst("\\{", "{\"addedInAFutureVersion\":{\"x\":1},");

        assertThat(codec.decodeScanEvent(json).ctKey()).isEqualTo("t/ct.nii.gz");
    }

    @Test
    void malformedJsonNamesTopicAndPosition() {
        assertThatThrownBy(() -> codec.decodeScanEvent("{\"schemaVersion\": 1,"))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith(Topics.SCAN_EVENTS + ": ScanEvent: bad JSON")
                .hasMessageContaining("line 1");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String json = codec.encode(aScanEvent()).replaceFirst("\"scanId\":\"[^\"]+\",", "");

        assertThatThrownBy(() -> codec.decodeScanEvent(json))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining(Topics.SCAN_EVENTS)
                .hasMessageContaining("scanId");
    }

    @Test
    void unsupportedSchemaVersionIsRefused() {
        String json = codec.encode(aScanEvent()).replace("\"schemaVersion\":1", "\"schemaVersion\":2");

        assertThatThrownBy(() -> codec.decodeScanEvent(json))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("schemaVersion 2 is not supported");
    }

    @Test
    void emptyAndWrongTypesAreRefused() {
        assertThatThrownBy(() -> codec.decodeScanEvent("")).hasMessageContaining("empty message");
        assertThatThrownBy(() -> codec.decodeScanEvent("null")).hasMessageContaining("JSON null");
        String badInstant = codec.encode(aScanEvent()).replace("2026-01-31T12:00:00.123456Z", "yesterday");
        assertThatThrownBy(() -> codec.decodeScanEvent(badInstant))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("yesterday");
    }

    @Test
    void outboxMessageCarriesTopicKeyAndAggregate() {
        ScanEvent e = aScanEvent();

        OutboxMessage m = new OutboxMessages(codec).scanEvent(e);

        assertThat(m.topic()).isEqualTo(Topics.SCAN_EVENTS);
        assertThat(m.key()).isEqualTo(e.scanId().toString());
        assertThat(m.aggregate()).isEqualTo("job:" + e.jobId());
        assertThat(codec.decodeScanEvent(m.payloadJson())).isEqualTo(e);
    }
}
