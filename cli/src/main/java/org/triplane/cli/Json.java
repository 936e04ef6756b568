package org.triplane.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * JSON of the commands' output, written by Jackson (maps keep insertion order when given a
 * LinkedHashMap). JSON has no NaN or infinity: a metric that is undefined (an IoU over no voxels)
 * is written {@code null}. Paths and instants are written as their text ({@code /data/1.nii.gz},
 * {@code 2026-01-31T00:00:00Z}).
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule("triplane-cli")
            .addSerializer(Double.class, new FiniteOrNull<>(Double.class))
            .addSerializer(double.class, new FiniteOrNull<>(double.class))
            .addSerializer(Float.class, new FiniteOrNull<>(Float.class))
            .addSerializer(double[].class, new FiniteArray())
            .addSerializer(Path.class, ToStringSerializer.instance)
            .addSerializer(Instant.class, ToStringSerializer.instance));

    private Json() {
    }

    /** @return the value as one line of JSON */
    static String render(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** A floating-point number, or {@code null} when it is NaN or infinite. */
    private static final class FiniteOrNull<T extends Number> extends StdSerializer<T> {
        FiniteOrNull(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator out, SerializerProvider provider) throws IOException {
            number(value.doubleValue(), out);
        }
    }

    /** An array of floating-point numbers, each as {@link FiniteOrNull} writes it. */
    private static final class FiniteArray extends StdSerializer<double[]> {
        FiniteArray() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] values, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartArray(values, values.length);
            for (double v : values) {
                number(v, out);
            }
            out.writeEndArray();
        }
    }

    private static void number(double v, JsonGenerator out) throws IOException {
        if (Double.isFinite(v)) {
            out.writeNumber(v);
        } else {
            out.writeNull();
        }
    }
}
