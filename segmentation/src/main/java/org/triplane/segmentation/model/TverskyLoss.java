package org.triplane.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * Multi-class Tversky loss (Salehi et al. 2017) over a batch, with cross-entropy and mean squared
 * error as monitors.
 *
 * <p>Labels: N×H×W class indices 0..classes−1 (any integer type); predictions: N×classes×H×W logits
 * (NCHW). With p = softmax over channels and g the one-hot labels (N×classes×H×W), for every class c,
 * summed over the whole batch: TP = Σ p·g, FP = Σ p·(1−g), FN = Σ (1−p)·g, and
 * T_c = (TP + ε) / (TP + α·FP + β·FN + ε); the loss is 1 − mean over all classes of T_c. α weighs
 * false positives, β false negatives (the study's best: 0.85/0.15 axial and coronal, 0.8/0.2
 * sagittal).
 */
public final class TverskyLoss extends Loss {
    /** Default smoothing ε: keeps T_c defined (and near 1) for a class absent from labels and prediction. */
    public static final double DEFAULT_EPSILON = 1.0;

    private final double alpha;
    private final double beta;
    private final double epsilon;
    private final int classes;

    /** A loss with smoothing {@link #DEFAULT_EPSILON}. */
    public TverskyLoss(double alpha, double beta, int classes) {
        this(alpha, beta, DEFAULT_EPSILON, classes);
    }

    /**
     * @throws IllegalArgumentException for negative or non-finite α/β, both zero, ε ≤ 0, or fewer than 2 classes
     */
    public TverskyLoss(double alpha, double beta, double epsilon, int classes) {
        super("tversky");
        if (!(alpha >= 0) || !(beta >= 0) || Double.isInfinite(alpha) || Double.isInfinite(beta) || alpha + beta == 0) {
            throw new IllegalArgumentException("Tversky alpha and beta must be finite, >= 0 and not both 0, got "
                    + alpha + "/" + beta);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Tversky epsilon must be finite and > 0, got " + epsilon);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("Tversky loss needs at least 2 classes, got " + classes);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.epsilon = epsilon;
        this.classes = classes;
    }

    /** The loss and its monitors, each a scalar float32 array in the logits' manager. */
    public record Terms(NDArray tversky, NDArray crossEntropy, NDArray meanSquaredError) {
        /** What training minimises: Tversky + {@code crossEntropyWeight}·cross-entropy (0: the study's loss). */
        public NDArray objective(double crossEntropyWeight) {
            return crossEntropyWeight == 0 ? tversky : tversky.add(crossEntropy.mul(crossEntropyWeight));
        }
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return terms(labels.singletonOrThrow(), predictions.singletonOrThrow()).tversky();
    }

    /**
     * Tversky loss, categorical cross-entropy (mean over pixels of −Σ_c g·log p) and MSE (mean over
     * pixels and classes of (p − g)²).
     *
     * @param labels N×H×W class indices
     * @param logits N×classes×H×W
     */
    public Terms terms(NDArray labels, NDArray logits) {
        Shape ls = logits.getShape();
        Shape ys = labels.getShape();
        if (ls.dimension() != 4 || ls.get(1) != classes || ys.dimension() != 3 || ys.get(0) != ls.get(0)
                || ys.get(1) != ls.get(2) || ys.get(2) != ls.get(3)) {
            throw new IllegalArgumentException("Tversky loss needs labels N×H×W and logits N×" + classes
                    + "×H×W, got labels " + ys + " and logits " + ls);
        }
        NDArray g = labels.toType(DataType.INT64, false).oneHot(classes).transpose(0, 3, 1, 2);
        NDArray p = logits.softmax(1);
        int[] batchAndPixels = {0, 2, 3};
        NDArray tp = p.mul(g).sum(batchAndPixels);
        NDArray fp = p.sum(batchAndPixels).sub(tp);
        NDArray fn = g.sum(batchAndPixels).sub(tp);
        NDArray t = tp.add(epsilon).div(tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(epsilon));
        NDArray tversky = t.mean().neg().add(1);
        NDArray crossEntropy = logits.logSoftmax(1).mul(g).sum(new int[] {1}).mean().neg();
        NDArray mse = p.sub(g).square().mean();
        return new Terms(tversky, crossEntropy, mse);
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double epsilon() {
        return epsilon;
    }
}
