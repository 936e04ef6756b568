package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A finite number above a bound: {@code > min}, or {@code ≥ min} when {@code minIncluded}.
 *
 * @param min         the bound
 * @param minIncluded whether the bound itself is accepted
 */
public record RealNumber(double min, boolean minIncluded) implements ParameterRule {

    /** @return a finite number > 0 */
    public static RealNumber positive() {
        return new RealNumber(0, false);
    }

    /** @return a finite number ≥ 0 */
    public static RealNumber nonNegative() {
        return new RealNumber(0, true);
    }

    @Override
    public Optional<String> problem(JsonNode value) {
        // why finite: a literal such as 1e999 reads as infinity, which no worker can train with
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            return Optional.of("must be " + accepts() + ", got " + value);
        }
        double v = value.doubleValue();
        if (minIncluded ? v < min : v <= min) {
            return Optional.of("must be " + accepts() + ", got " + value);
        }
        return Optional.empty();
    }

    @Override
    public String accepts() {
        return "a number " + (minIncluded ? "≥ " : "> ") + bound();
    }

    private String bound() {
        return min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min);
    }
}
