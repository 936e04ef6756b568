package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Three finite numbers > 0, {@code [x, y, z]}. */
public record PositiveTriple() implements ParameterRule {

    private static final RealNumber ELEMENT = RealNumber.positive();

    @Override
    public Optional<String> problem(JsonNode value) {
        if (!value.isArray() || value.size() != 3) {
            return Optional.of("must be " + accepts() + ", got " + value);
        }
        for (JsonNode e : value) {
            if (ELEMENT.problem(e).isPresent()) {
                return Optional.of("must be " + accepts() + ", got " + value);
            }
        }
        return Optional.empty();
    }

    @Override
    public String accepts() {
        return "[x, y, z]: three numbers > 0";
    }
}
