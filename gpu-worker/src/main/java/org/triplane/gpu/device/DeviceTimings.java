package org.triplane.gpu.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A task's timings with the device they were measured on ({@link DeviceStatus#recordFields()}): a figure means little without it. */
public final class DeviceTimings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeviceTimings() {
    }

    /** {@code timingsJson} (a JSON object) with the device's fields added. */
    public static String of(String timingsJson, DeviceStatus device) {
        try {
            ObjectNode timings = (ObjectNode) JSON.readTree(timingsJson);
            device.recordFields().forEach((k, v) -> timings.set(k, JSON.valueToTree(v)));
            return JSON.writeValueAsString(timings);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("timings are not a JSON object: " + timingsJson, e);
        }
    }
}
