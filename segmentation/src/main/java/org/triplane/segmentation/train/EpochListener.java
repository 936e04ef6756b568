package org.triplane.segmentation.train;

/**
 * Told about each epoch as soon as it ends and its checkpoint is on disk. An exception thrown here
 * stops the training and reaches the caller of {@link PlaneTrainer#train}; the checkpoint of that
 * epoch stays, so a later call with the same folder resumes after it.
 */
@FunctionalInterface
public interface EpochListener {
    /** A listener that ignores every report. */
    EpochListener NONE = report -> { };

    void epochEnded(EpochReport report);
}
