package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One of a few names, as text.
 *
 * @param names    the names, in the order the documentation lists them
 * @param accepted whether a text names one of them: exactly, or as the reader's own parser reads it where
 *                 the gateway reaches that parser
 */
public record WireName(List<String> names, Predicate<String> accepted) implements ParameterRule {

    public WireName {
        names = List.copyOf(names);
    }

    /** @param names the names @return exactly one of them */
    public static WireName of(String... names) {
        List<String> list = List.of(names);
        return new WireName(list, list::contains);
    }

    /**
     * @param names  the names, for messages and the documentation
     * @param parser the reader's own parser, throwing {@link IllegalArgumentException} for a text it refuses
     * @return what that parser accepts
     */
    public static WireName parsedBy(List<String> names, Function<String, ?> parser) {
        return new WireName(names, text -> {
            try {
                parser.apply(text);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
    }

    @Override
    public Optional<String> problem(JsonNode value) {
        return value.isTextual() && accepted.test(value.textValue()) ? Optional.empty()
                : Optional.of("must be " + accepts() + ", got " + value);
    }

    @Override
    public String accepts() {
        return "one of " + String.join(", ", names);
    }
}
