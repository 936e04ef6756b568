package org.triplane.imaging.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A scan's evaluation against its reference labels as a result records it: the JSON document the
 * fusion-worker writes and the gateway reads back (the report, the results API, the check of
 * learned fusion weights). Like {@link RegionStatisticsDocument}, its components are the stored
 * fields in their stored order, so a JSON mapper that maps records by their components (Jackson)
 * writes and reads it with no annotations and the imaging core stays free of a JSON library.
 * A metric that does not exist ({@link ConfusionCounts}: NaN in a {@code double}) is {@code null}
 * here, since JSON has no NaN.
 *
 * @param grid        the grid counted on: always {@link #ROTATED_GRID}, the grid the planes were cut from
 * @param voxelMl     volume of one voxel of that grid, ml
 * @param predictions per prediction, by its name ({@link #FUSED}, {@code axial}, {@code coronal},
 *                    {@code sagittal}, {@code atlas}), in the order written
 */
public record EvaluationDocument(String grid, double voxelMl, Map<String, Prediction> predictions) {

    /** The grid an evaluation is counted on: the rotated grid the three planes were cut from. */
    public static final String ROTATED_GRID = "rotated";
    /** The name of the fused prediction; the others are named by their plane's wire name or {@code atlas}. */
    public static final String FUSED = "fused";

    /** A field missing from a stored document reads as the rotated grid or no predictions; the order is kept. */
    public EvaluationDocument {
        grid = grid == null ? ROTATED_GRID : grid;
        predictions = predictions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(predictions));
    }

    /**
     * @param confusions prediction name → its confusion matrix against the reference, in the order to write
     * @param voxelMl    volume of one voxel of the grid counted on, ml
     * @return their document
     */
    public static EvaluationDocument of(Map<String, ConfusionMatrix> confusions, double voxelMl) {
        Map<String, Prediction> predictions = new LinkedHashMap<>();
        confusions.forEach((name, matrix) -> predictions.put(name, Prediction.of(matrix, voxelMl)));
        return new EvaluationDocument(ROTATED_GRID, voxelMl, predictions);
    }

    /** The prediction of that name, when the document has it. */
    public Optional<Prediction> prediction(String name) {
        return Optional.ofNullable(predictions.get(name));
    }

    /** This document without its confusion matrices (each {@code null}), for answers that leave them out. */
    public EvaluationDocument withoutConfusion() {
        Map<String, Prediction> out = new LinkedHashMap<>();
        predictions.forEach((name, p) -> out.put(name, p.withoutConfusion()));
        return new EvaluationDocument(grid, voxelMl, out);
    }

    /**
     * One prediction's {@link EvaluationSummary} and its confusion matrix.
     *
     * @param meanIoU                   mean IoU over the regions present; {@code null} when none is
     * @param meanDice                  mean Dice over the regions present; {@code null} when none is
     * @param meanMisclassificationRate mean {@code (FP + FN) / N} over the regions present; {@code null} when none is
     * @param meanFpFnRatio             mean FP/FN over the regions that have one (FN &gt; 0); {@code null} when none has
     * @param fpFnRatioVariance         population variance of those ratios; {@code null} when none has one
     * @param finiteRatioRegions        how many regions the ratio's mean and variance cover
     * @param leftRightConfusionRate    share of reference region voxels predicted as the same region of the
     *                                  other side; {@code null} when the reference has no region voxels
     * @param voxels                    voxels counted
     * @param confusion                 21×21 counts, {@code [reference][prediction]}, voxels; {@code null} when
     *                                  left out of an answer
     */
    public record Prediction(Double meanIoU, Double meanDice, Double meanMisclassificationRate, Double meanFpFnRatio,
                             Double fpFnRatioVariance, int finiteRatioRegions, Double leftRightConfusionRate, long voxels,
                             long[][] confusion) {

        /** The summary and counts of one prediction's confusion matrix on a grid of {@code voxelMl} ml voxels. */
        public static Prediction of(ConfusionMatrix matrix, double voxelMl) {
            EvaluationSummary s = EvaluationSummary.of(matrix, voxelMl);
            return new Prediction(ConfusionCounts.orNull(s.meanIoU()), ConfusionCounts.orNull(s.meanDice()),
                    ConfusionCounts.orNull(s.meanMisclassificationRate()), ConfusionCounts.orNull(s.meanFpFnRatio()),
                    ConfusionCounts.orNull(s.fpFnRatioVariance()), s.finiteRatioRegions(),
                    ConfusionCounts.orNull(s.leftRightConfusionRate()), s.voxels(), matrix.toArray());
        }

        /**
         * The confusion matrix, when the document holds it.
         *
         * @throws IllegalArgumentException when the counts are not 21 rows of 21 counts ≥ 0
         */
        public Optional<ConfusionMatrix> confusionMatrix() {
            return confusion == null ? Optional.empty() : Optional.of(ConfusionMatrix.of(confusion));
        }

        Prediction withoutConfusion() {
            return new Prediction(meanIoU, meanDice, meanMisclassificationRate, meanFpFnRatio, fpFnRatioVariance,
                    finiteRatioRegions, leftRightConfusionRate, voxels, null);
        }
    }
}
