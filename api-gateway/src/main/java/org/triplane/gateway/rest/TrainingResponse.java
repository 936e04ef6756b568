package org.triplane.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.models.CrossValidation;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.tasks.Task;
import org.triplane.gateway.service.JobService;

/**
 * A TRAIN job's training: one entry per plane's TRAIN task with its epochs (a k-fold job: per plane
 * and fold), and for a k-fold job its cross-validation. Losses are means over an epoch's batches
 * (Tversky loss = 1 − Tversky index; cross-entropy and MSE are monitors); IoU values are unitless in
 * [0, 1]; durations are seconds; instants UTC.
 *
 * @param jobId           the job
 * @param state           the job's state
 * @param modelSetId      the set the training fills, {@code null} until every scan is preprocessed, and always for a
 *                        k-fold job (its sets are in {@code crossValidation})
 * @param tasks           one per plane (and fold), in plane then fold order, empty until then
 * @param crossValidation a k-fold job's folds and their summary, {@code null} otherwise (and until its sets exist)
 */
public record TrainingResponse(UUID jobId, String state, UUID modelSetId, List<PlaneTraining> tasks,
                               CrossValidationView crossValidation) {

    /**
     * k-fold cross-validation by scan: fold i's models validate on fold i's scans and train on the rest.
     *
     * @param folds  k
     * @param planes one per plane (AXIAL, CORONAL, SAGITTAL)
     */
    public record CrossValidationView(int folds, List<PlaneFolds> planes) {
    }

    /**
     * @param plane AXIAL, CORONAL or SAGITTAL
     * @param folds one per fold 1..k
     * @param mean  mean over the folds of their {@code bestValidationMeanIou} (those that have one), {@code null}
     *              until one has
     * @param sd    sample standard deviation (n − 1) of the same, {@code null} with fewer than two
     */
    public record PlaneFolds(String plane, List<FoldResult> folds, Double mean, Double sd) {
    }

    /**
     * @param fold                  1..k
     * @param modelSetId            the fold's model set
     * @param modelId               its model of the plane, {@code null} while it trains
     * @param bestValidationMeanIou that model's validation mean IoU at its best epoch, or {@code null}
     */
    public record FoldResult(int fold, UUID modelSetId, UUID modelId, Double bestValidationMeanIou) {
    }

    /**
     * @param taskId      the TRAIN task
     * @param plane       AXIAL, CORONAL or SAGITTAL
         * @param fold        the cross-validation fold 1..k of a k-fold job's task, else {@code null}
     * @param state       PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED
     * @param attempt     current or next attempt, from 1
     * @param maxAttempts attempts allowed
     * @param worker      the gpu-worker holding (or that last held) the task, or {@code null}
     * @param device      where it ran, e.g. {@code cuda:0}, or {@code null}
     * @param startedAt   start of the current attempt, or {@code null}
     * @param finishedAt  terminal instant, or {@code null}
     * @param error       why it failed, or {@code null}
     * @param epochs      finished epochs in order
     */
    public record PlaneTraining(UUID taskId, String plane, Integer fold, String state, int attempt, int maxAttempts, String worker,
                                String device, Instant startedAt, Instant finishedAt, String error, List<Epoch> epochs) {
    }

    /**
     * @param epoch                  epoch number from 1
     * @param attempt                task attempt that ran it
     * @param trainLoss              Tversky loss on the training slices
     * @param trainCrossEntropy      cross-entropy on the training slices, or {@code null}
     * @param trainMse               MSE of the softmax against one-hot labels, or {@code null}
     * @param validationLoss         Tversky loss on the validation scans, or {@code null}
     * @param validationCrossEntropy cross-entropy on the validation scans, or {@code null}
     * @param validationMse          MSE on the validation scans, or {@code null}
     * @param validationMeanIou      mean IoU over the regions 1..20 present, or {@code null}
     * @param validationIou          IoU per label 0..20, {@code null} entries where a label is absent; or {@code null}
     * @param seconds                wall-clock duration of the epoch
     * @param recordedAt             when it was recorded
     */
    public record Epoch(int epoch, int attempt, double trainLoss, Double trainCrossEntropy, Double trainMse,
                        Double validationLoss, Double validationCrossEntropy, Double validationMse,
                        Double validationMeanIou, List<Double> validationIou, double seconds, Instant recordedAt) {
    }

    static TrainingResponse of(JobService.Training t) {
        return new TrainingResponse(t.job().id(), t.job().state().name(), t.job().modelSetId(),
                t.tasks().stream().map(x -> plane(x.task(), x.epochs())).toList(),
                t.crossValidation() == null ? null : crossValidation(t.crossValidation()));
    }

    private static CrossValidationView crossValidation(CrossValidation cv) {
        return new CrossValidationView(cv.foldCount(), cv.planes().stream().map(p -> new PlaneFolds(p.plane().name(),
                p.folds().stream().map(f -> new FoldResult(f.fold(), f.modelSetId(), f.modelId(), f.bestValidationMeanIoU()))
                        .toList(), p.mean(), p.sd())).toList());
    }

    private static PlaneTraining plane(Task t, List<TrainingEpoch> epochs) {
        return new PlaneTraining(t.id(), t.plane() == null ? null : t.plane().name(), t.fold(), t.state().name(), t.attempt(),
                t.maxAttempts(), t.worker(), t.device(), t.startedAt(), t.finishedAt(), t.error(),
                epochs.stream().map(TrainingResponse::epoch).toList());
    }

    private static Epoch epoch(TrainingEpoch e) {
        // why: JSON has no NaN; an absent label's IoU is null in the answer
        List<Double> iou = e.validationIou() == null ? null
                : e.validationIou().stream().map(v -> v == null || v.isNaN() ? null : v).toList();
        return new Epoch(e.epoch(), e.attempt(), e.trainLoss(), e.trainCrossEntropy(), e.trainMse(), e.validationLoss(),
                e.validationCrossEntropy(), e.validationMse(), e.validationMeanIou(), iou, e.seconds(), e.recordedAt());
    }
}
