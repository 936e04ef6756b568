package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Optional;

/**
 * An integer within a range. A number with an integral value such as {@code 3.0} counts: the
 * workers read it as 3.
 *
 * @param min smallest accepted
 * @param max largest accepted
 */
public record WholeNumber(long min, long max) implements ParameterRule {

    /** Largest magnitude a worker that reads the value as a double keeps exactly: 2^53. */
    public static final long EXACT_IN_A_DOUBLE = 1L << 53;

    /** @param min smallest accepted @return an integer from min up to the largest int */
    public static WholeNumber atLeast(long min) {
        return new WholeNumber(min, Integer.MAX_VALUE);
    }

    @Override
    public Optional<String> problem(JsonNode value) {
        if (!value.isNumber() || !value.canConvertToExactIntegral()) {
            return Optional.of("must be " + accepts() + ", got " + value);
        }
        BigInteger v = value.bigIntegerValue();
        if (v.compareTo(BigInteger.valueOf(min)) < 0) {
            return Optional.of("must be at least " + min + ", got " + v);
        }
        if (v.compareTo(BigInteger.valueOf(max)) > 0) {
            return Optional.of("must be at most " + max + ", got " + v);
        }
        return Optional.empty();
    }

    @Override
    public String accepts() {
        if (max == Integer.MAX_VALUE) {
            return "an integer ≥ " + min;
        }
        return min == -max ? "an integer within ±" + magnitude(max) : "an integer " + min + ".." + max;
    }

    private static String magnitude(long v) {
        return v == EXACT_IN_A_DOUBLE ? "2^53" : Long.toString(v);
    }
}
