package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;

/** An id, as text in the UUID form. */
public record UuidText() implements ParameterRule {

    @Override
    public Optional<String> problem(JsonNode value) {
        if (value.isTextual()) {
            try {
                // why the round trip: UUID.fromString also takes short forms such as "1-2-3-4-5"
                if (UUID.fromString(value.textValue()).toString().equalsIgnoreCase(value.textValue())) {
                    return Optional.empty();
                }
            } catch (IllegalArgumentException e) {
                // refused below
            }
        }
        return Optional.of("must be " + accepts() + ", got " + value);
    }

    @Override
    public String accepts() {
        return "an id (UUID)";
    }
}
