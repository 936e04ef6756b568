package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A name: text that is not blank, of bounded length.
 *
 * @param maxLength most characters accepted
 */
public record NameText(int maxLength) implements ParameterRule {

    @Override
    public Optional<String> problem(JsonNode value) {
        if (!value.isTextual() || value.textValue().isBlank()) {
            return Optional.of("must be " + accepts() + ", got " + value);
        }
        if (value.textValue().length() > maxLength) {
            return Optional.of("must be at most " + maxLength + " characters, got " + value.textValue().length());
        }
        return Optional.empty();
    }

    @Override
    public String accepts() {
        return "a non-blank text of at most " + maxLength + " characters";
    }
}
