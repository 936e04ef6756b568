package org.triplane.db.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.results.ClassMetric;

/**
 * A row of {@code training_epochs}: one finished epoch of a TRAIN task. Losses are means over the
 * epoch's batches (Tversky loss = 1 − Tversky index; cross-entropy and MSE are monitors); IoU values
 * are unitless in [0, 1].
 *
 * @param taskId                 the TRAIN task
 * @param tenantId               its tenant
 * @param attempt                the task attempt that ran the epoch
 * @param epoch                  epoch number from 1
 * @param trainLoss              Tversky loss on the training slices
 * @param trainCrossEntropy      cross-entropy on the training slices, or {@code null}
 * @param trainMse               mean squared error of the softmax against one-hot labels, or {@code null}
 * @param validationLoss         Tversky loss on the validation scans, or {@code null}
 * @param validationCrossEntropy cross-entropy on the validation scans, or {@code null}
 * @param validationMse          MSE on the validation scans, or {@code null}
 * @param validationMeanIou      mean IoU over the regions 1..20 present, or {@code null}
 * @param validationIou          IoU per label 0..20 (NaN where absent), or {@code null}
 * @param seconds                wall-clock duration of the epoch
 * @param recordedAt             when the row was written (null before insert)
 */
public record TrainingEpoch(UUID taskId, UUID tenantId, int attempt, int epoch, double trainLoss, Double trainCrossEntropy,
                            Double trainMse, Double validationLoss, Double validationCrossEntropy, Double validationMse,
                            Double validationMeanIou, List<Double> validationIou, double seconds, Instant recordedAt) {
    public TrainingEpoch {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch: must be at least 1, got " + epoch);
        }
        if (validationIou != null && validationIou.size() != ClassMetric.MAX_CLASS + 1) {
            throw new IllegalArgumentException("validationIou: 21 values (labels 0..20) expected, got " + validationIou.size());
        }
        validationIou = validationIou == null ? null : List.copyOf(validationIou);
    }
}
