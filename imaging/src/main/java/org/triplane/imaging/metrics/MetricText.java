package org.triplane.imaging.metrics;

import java.util.Locale;

/**
 * A measured value as a reader sees it, in the report's tables and the command line's: the value
 * to a fixed number of decimals, or {@link #UNDEFINED} where it does not exist — a metric whose
 * denominator is zero ({@link ConfusionCounts}: NaN in a {@code double}, {@code null} once stored)
 * or a mean over nothing. Never "NaN", "Infinity" or 0, which a reader would take for a result.
 */
public final class MetricText {

    /** What is shown for a value that does not exist. */
    public static final String UNDEFINED = "—";

    private MetricText() {
    }

    /**
     * @param value    a value; NaN where it does not exist
     * @param decimals digits after the point
     * @return e.g. {@code 0.750}, or {@link #UNDEFINED}
     */
    public static String of(double value, int decimals) {
        // why not only NaN: an infinite value is no result either, whatever produced it
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : UNDEFINED;
    }

    /**
     * @param value    a value as stored; {@code null} where it does not exist
     * @param decimals digits after the point
     * @return e.g. {@code 0.750}, or {@link #UNDEFINED}
     */
    public static String of(Double value, int decimals) {
        return value == null ? UNDEFINED : of(value.doubleValue(), decimals);
    }
}
