package org.triplane.imaging.metrics;

/**
 * Mean CT density of one ASPECTS region in the left hemisphere against its right twin (labels
 * {@code k} and {@code k + 10}). A measurement for a reader's attention, not a diagnosis.
 *
 * @param region       region name without side, e.g. {@code M4}
 * @param leftLabel    left label 1..10
 * @param rightLabel   right label 11..20
 * @param leftMeanHu   mean HU of the left region (NaN when absent)
 * @param rightMeanHu  mean HU of the right region (NaN when absent)
 * @param differenceHu {@code left − right}, HU (NaN when a side is absent)
 * @param ratio        {@code smaller mean / larger mean}, so 1 means equal and the value does not
 *                     depend on which side is denser; NaN when a side is absent or a mean is not
 *                     positive (HU has its zero at water, so a ratio of values at or below zero
 *                     says nothing)
 * @param flagged      true when both sides are present and {@code |differenceHu| ≥ 2} HU or
 *                     {@code ratio ≤ 0.95}; never true when a side is absent
 * @param reason       why it is or is not flagged, in words a reader can check
 */
public record HemisphereComparison(String region, int leftLabel, int rightLabel, double leftMeanHu, double rightMeanHu,
                                   double differenceHu, double ratio, boolean flagged, String reason) {
}
