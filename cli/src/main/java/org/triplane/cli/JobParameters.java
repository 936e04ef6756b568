package org.triplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Job parameters from {@code --param key=value}: a value that reads as JSON (a number, true, false,
 * null, an array, an object, a quoted string) is that JSON value, anything else is the text itself,
 * so {@code epochs=3} is the number 3 and {@code preset=tiny} the string "tiny".
 */
final class JobParameters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JobParameters() {
    }

    /** The parameters in the order given; a missing {@code =}, an empty key or a key given twice is refused. */
    static Map<String, Object> parse(List<String> assignments) throws InputException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--param " + a + ": expected key=value");
            }
            String key = a.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new InputException("--param " + a + ": empty key");
            }
            if (out.containsKey(key)) {
                throw new InputException("--param " + key + ": given twice");
            }
            out.put(key, value(a.substring(eq + 1)));
        }
        return out;
    }

    private static Object value(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** One JSON text for equal parameter sets whatever their order: object keys sorted at every depth. */
    static String canonical(Map<String, Object> parameters) {
        try {
            return CANONICAL.writeValueAsString(sorted(parameters));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameters cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> t = new TreeMap<>();
            m.forEach((k, x) -> t.put(String.valueOf(k), sorted(x)));
            return t;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(JobParameters::sorted).toList();
        }
        return v;
    }
}
