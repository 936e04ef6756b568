package org.triplane.segmentation.train;

import java.util.Arrays;

/**
 * What one training epoch achieved. Training losses are means over the epoch's steps (weighted by
 * slices per step) in training mode; validation losses the same over the validation slices in
 * evaluation mode. IoU comes from the confusion matrix of the arg-max prediction over all validation
 * pixels.
 *
 * @param epoch                  epoch number, from 1
 * @param trainTversky           training Tversky loss
 * @param trainCrossEntropy      training categorical cross-entropy (monitor)
 * @param trainMse               training mean squared error of softmax vs one-hot (monitor)
 * @param validationTversky      validation Tversky loss
 * @param validationCrossEntropy validation cross-entropy
 * @param validationMse          validation mean squared error
 * @param classIoU               validation IoU of labels 0..20; NaN for a label absent from truth and prediction
 * @param meanIoU                mean validation IoU over regions 1..20 present (background left out); NaN if none
 * @param seconds                wall time of the epoch, validation included
 */
public record EpochReport(int epoch, double trainTversky, double trainCrossEntropy, double trainMse,
                          double validationTversky, double validationCrossEntropy, double validationMse,
                          double[] classIoU, double meanIoU, double seconds) {

    public EpochReport {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch numbers start at 1, got " + epoch);
        }
        classIoU = classIoU.clone();
    }

    @Override
    public double[] classIoU() {
        return classIoU.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochReport r && epoch == r.epoch
                && Double.compare(trainTversky, r.trainTversky) == 0
                && Double.compare(trainCrossEntropy, r.trainCrossEntropy) == 0
                && Double.compare(trainMse, r.trainMse) == 0
                && Double.compare(validationTversky, r.validationTversky) == 0
                && Double.compare(validationCrossEntropy, r.validationCrossEntropy) == 0
                && Double.compare(validationMse, r.validationMse) == 0
                && Arrays.equals(classIoU, r.classIoU)
                && Double.compare(meanIoU, r.meanIoU) == 0
                && Double.compare(seconds, r.seconds) == 0;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(epoch) * 31 + Double.hashCode(meanIoU);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "epoch %d: train tversky %.4f ce %.4f mse %.5f | val tversky %.4f ce %.4f mse %.5f mIoU %.4f | %.1f s",
                epoch, trainTversky, trainCrossEntropy, trainMse, validationTversky, validationCrossEntropy, validationMse,
                meanIoU, seconds);
    }
}
