package org.triplane.benchmarks.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's recorded timings (the {@code timings} JSON object on the task) as phase → seconds. The
 * services name the unit in the key: the preprocess-worker milliseconds ({@code register_ms}), the
 * gpu- and fusion-worker seconds ({@code infer_s}); the phase is the key without it. Keys that are
 * not durations (counts, ids, the device, rates such as {@code slices_per_s}) are left out.
 */
final class TaskTimings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskTimings() {
    }

    /**
     * @param json the task's timings object
     * @return phase → seconds, in the order recorded
     * @throws IllegalArgumentException naming the text when it is not a JSON object
     */
    static Map<String, Double> seconds(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task timings are not JSON: " + json, e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("task timings are not a JSON object: " + json);
        }
        Map<String, Double> phases = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!e.getValue().isNumber() || key.contains("_per_")) {
                continue;
            }
            if (key.endsWith("_ms")) {
                phases.put(key.substring(0, key.length() - 3), e.getValue().asDouble() / 1000);
            } else if (key.endsWith("_s")) {
                phases.put(key.substring(0, key.length() - 2), e.getValue().asDouble());
            }
        }
        return phases;
    }
}
