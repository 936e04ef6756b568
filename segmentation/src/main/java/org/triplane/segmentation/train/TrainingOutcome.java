package org.triplane.segmentation.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link PlaneTrainer#train}: the trained model is the weights of the epoch with the
 * best validation mean IoU.
 *
 * @param bestEpoch        that epoch (from 1)
 * @param bestMeanIoU      its validation mean IoU over regions 1..20
 * @param weights          its weights file (readable by {@code ModelFiles.load})
 * @param history          every epoch's report, epoch 1 first, including those run before a resume
 * @param resumedAfterEpoch the checkpoint epoch this run continued from; 0 for a fresh start
 */
public record TrainingOutcome(int bestEpoch, double bestMeanIoU, Path weights, List<EpochReport> history,
                              int resumedAfterEpoch) {
    public TrainingOutcome {
        history = List.copyOf(history);
    }
}
