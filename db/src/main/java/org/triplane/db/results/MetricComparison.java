package org.triplane.db.results;

/**
 * One class of one prediction compared between two runs (a and b) over the scans both ran on.
 * Each metric is averaged over the scans on which it exists in both runs (paired), so the two
 * means cover the same scans and {@link Means#delta()} is the mean of the per-scan differences.
 * Ratios are unitless, volumes millilitres.
 *
 * @param plane             which prediction (a plane or FUSED)
 * @param classLabel        class 0..20
 * @param scans             scans both runs have this row for
 * @param iou               IoU
 * @param dice              Dice
 * @param fpFnRatio         FP / FN
 * @param misclassification (FP + FN) / N
 * @param predictedMl       predicted volume, ml
 */
public record MetricComparison(MetricPlane plane, int classLabel, int scans, Means iou, Means dice, Means fpFnRatio,
                               Means misclassification, Means predictedMl) {

    /**
     * One metric's paired means.
     *
     * @param a     mean in run a, or {@code null} when no scan has the metric in both runs
     * @param b     mean in run b, or {@code null} likewise
     * @param pairs scans the means cover
     */
    public record Means(Double a, Double b, int pairs) {

        /** @return {@code b − a}, or {@code null} when either mean is missing */
        public Double delta() {
            return a == null || b == null ? null : b - a;
        }
    }
}
