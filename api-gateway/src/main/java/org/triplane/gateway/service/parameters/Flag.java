package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** {@code true} or {@code false}, as a JSON boolean. */
public record Flag() implements ParameterRule {

    @Override
    public Optional<String> problem(JsonNode value) {
        return value.isBoolean() ? Optional.empty() : Optional.of("must be " + accepts() + ", got " + value);
    }

    @Override
    public String accepts() {
        return "true or false";
    }
}
