package org.triplane.segmentation.pipeline;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.resample.Resampler;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.data.SampleBuilder;
import org.triplane.segmentation.data.SampleOptions;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.train.BatchAugmentation;
import org.triplane.segmentation.train.EpochListener;
import org.triplane.segmentation.train.PlaneTrainer;
import org.triplane.segmentation.train.TrainingOutcome;
import org.triplane.segmentation.train.TrainingSettings;

/**
 * Trains one plane's network from labelled scans, split by scan by the caller: every scan (uint8
 * window bytes and uint8 labels on its own rotated grid, x fastest, LPS mm) is resampled onto the
 * model grid and cut into the plane's slices; slices without tissue are left out of both sets.
 */
public final class PlaneTraining {
    private final SampleBuilder samples;
    private final BatchAugmentation augmentation;

    /** @param grid the model grid to train on (recorded with the model) */
    public PlaneTraining(ModelGrid grid, Resampler resampler) {
        this(new SampleBuilder(grid, resampler), null);
    }

    private PlaneTraining(SampleBuilder samples, BatchAugmentation augmentation) {
        this.samples = samples;
        this.augmentation = augmentation;
    }

    /** The same training with every training batch changed by {@code augmentation} (see {@link PlaneTrainer#withAugmentation}). */
    public PlaneTraining withAugmentation(BatchAugmentation augmentation) {
        return new PlaneTraining(samples, java.util.Objects.requireNonNull(augmentation, "augmentation"));
    }

    /**
     * @param network       the U-Net; two input channels means the position channel is used
     * @param settings      epochs, batch, learning rate, Tversky α/β, seed
     * @param plane         the plane
     * @param training      labelled training scans
     * @param validation    labelled validation scans (other scans than {@code training})
     * @param device        where to train
     * @param checkpointDir where checkpoints go; a checkpoint already there is resumed
     * @param listener      told after each epoch
     * @throws IllegalArgumentException when a scan is unlabelled or the two sets share a scan
     */
    public TrainingOutcome train(UNetConfig network, TrainingSettings settings, Plane plane, List<ScanVolumes> training,
                                 List<ScanVolumes> validation, Device device, Path checkpointDir, EpochListener listener)
            throws IOException {
        for (ScanVolumes v : validation) {
            for (ScanVolumes t : training) {
                if (t.id().equals(v.id())) {
                    throw new IllegalArgumentException("scan " + v.id() + " is in both the training and the validation set");
                }
            }
        }
        for (List<ScanVolumes> set : List.of(training, validation)) {
            for (ScanVolumes s : set) {
                if (!s.labelled()) {
                    throw new IllegalArgumentException("scan " + s.id() + " has no labels; training needs labelled scans");
                }
            }
        }
        SampleOptions options = SampleOptions.training(network.depth(), network.inputs());
        PlaneSamples train = samples.build(training, plane, options);
        PlaneSamples check = samples.build(validation, plane, options);
        PlaneTrainer trainer = new PlaneTrainer(network, settings, device);
        return (augmentation == null ? trainer : trainer.withAugmentation(augmentation)).train(train, check, checkpointDir,
                listener);
    }
}
