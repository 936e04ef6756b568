package org.triplane.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Objects;
import org.triplane.events.PlaneTask;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;

/**
 * JSON for the pipeline's event records ({@link ScanEvent}, {@link PlaneTask}, ...).
 *
 * <p>Instants are ISO-8601 strings in UTC ({@code 2026-01-31T12:00:00.123Z}), not epoch numbers.
 * Unknown fields are ignored, so a producer may add optional fields without breaking older
 * consumers; a breaking change raises the record's {@code schemaVersion}, which the record itself
 * refuses. Thread-safe.
 */
public final class EventCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // why: a missing int (schemaVersion) must fail loudly, not become 0 and then "unsupported 0"
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * @param event an event record
     * @return its JSON document
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    public String encode(Object event) {
        Objects.requireNonNull(event, "event");
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + event.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * @param json a message of {@link Topics#SCAN_EVENTS}
     * @return the event
     * @throws EventDecodingException naming the topic and the problem
     */
    public ScanEvent decodeScanEvent(String json) {
        return decode(Topics.SCAN_EVENTS, json, ScanEvent.class);
    }

    /**
     * @param json a message of {@link Topics#PLANE_TASKS}
     * @return the task
     * @throws EventDecodingException naming the topic and the problem
     */
    public PlaneTask decodePlaneTask(String json) {
        return decode(Topics.PLANE_TASKS, json, PlaneTask.class);
    }

    /**
     * @param topic where the message came from (named in errors)
     * @param json  the message value
     * @param type  the event record to read
     * @param <T>   event type
     * @return the event
     * @throws EventDecodingException naming the topic and the problem
     */
    public <T> T decode(String topic, String json, Class<T> type) {
        String what = type.getSimpleName();
        if (json == null || json.isBlank()) {
            throw new EventDecodingException(topic, what + ": empty message", null);
        }
        try {
            T value = mapper.readValue(json, type);
            if (value == null) {
                throw new EventDecodingException(topic, what + ": message is JSON null", null);
            }
            return value;
        } catch (ValueInstantiationException e) {
            // why: the record's own validation (missing id, wrong schema version) is the useful part
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new EventDecodingException(topic, what + ": invalid event: " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(topic, what + ": bad JSON: " + e.getOriginalMessage()
                    + location(e), e);
        }
    }

    private static String location(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "";
        }
        return " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
