package org.triplane.segmentation.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.imaging.plane.Plane;

/**
 * How one plane's U-Net is trained.
 *
 * @param epochs       passes over the training slices, ≥ 1
 * @param batchSize    slices per optimizer step, ≥ 1
 * @param learningRate Adam's step size, &gt; 0
 * @param alpha        Tversky weight of false positives
 * @param beta         Tversky weight of false negatives
 * @param crossEntropyWeight weight λ of the pixel-wise cross-entropy added to the Tversky loss
 *                     (loss = Tversky + λ·cross-entropy), ≥ 0; 0 is the study's Tversky loss alone
 * @param seed         seeds weight initialisation, slice order, input noise and dropout
 */
public record TrainingSettings(int epochs, int batchSize, double learningRate, double alpha, double beta,
                               double crossEntropyWeight, long seed) {
    /**
     * The cross-entropy weight of every training from now on. why: the Tversky loss alone is a mean over
     * classes of batch-wide ratios, so a background pixel predicted as some region moves it very little
     * (background's ratio stays near 1 over millions of pixels, and an absent class's ratio is already
     * saturated at 0): early in training whole areas of air settle into one region and stay there.
     * Cross-entropy charges every pixel on its own and pulls them back.
     */
    public static final double DEFAULT_CROSS_ENTROPY_WEIGHT = 1.0;

    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("TrainingSettings epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("TrainingSettings batchSize must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("TrainingSettings learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(alpha >= 0) || !(beta >= 0) || Double.isInfinite(alpha) || Double.isInfinite(beta) || alpha + beta == 0) {
            throw new IllegalArgumentException("TrainingSettings alpha/beta must be finite, >= 0 and not both 0, got "
                    + alpha + "/" + beta);
        }
        if (!(crossEntropyWeight >= 0) || Double.isInfinite(crossEntropyWeight)) {
            throw new IllegalArgumentException("TrainingSettings crossEntropyWeight must be finite and >= 0, got "
                    + crossEntropyWeight);
        }
    }

    /**
     * The study's choices for a plane: batch 4 and its best Tversky weights (α/β 0.85/0.15 axial and
     * coronal, 0.8/0.2 sagittal); learning rate 1e-3 (Adam's usual default), the epoch count and the
     * cross-entropy term ({@link #DEFAULT_CROSS_ENTROPY_WEIGHT}) are ours.
     */
    public static TrainingSettings study(Plane plane, int epochs, long seed) {
        double alpha = plane == Plane.SAGITTAL ? 0.8 : 0.85;
        return new TrainingSettings(epochs, 4, 1e-3, alpha, 1 - alpha, DEFAULT_CROSS_ENTROPY_WEIGHT, seed);
    }

    /** The same settings with another epoch count (to extend a finished training). */
    public TrainingSettings withEpochs(int newEpochs) {
        return new TrainingSettings(newEpochs, batchSize, learningRate, alpha, beta, crossEntropyWeight, seed);
    }

    /** Whether {@code other} trains the same way, the epoch count aside. */
    public boolean sameExceptEpochs(TrainingSettings other) {
        return equals(other.withEpochs(epochs));
    }

    /** Every field, in a fixed order, for task and registry records. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("learningRate", learningRate);
        m.put("optimizer", "adam");
        m.put("alpha", alpha);
        m.put("beta", beta);
        m.put("crossEntropyWeight", crossEntropyWeight);
        m.put("seed", seed);
        return m;
    }
}
