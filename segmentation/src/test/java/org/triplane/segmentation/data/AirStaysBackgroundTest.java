package org.triplane.segmentation.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.plane.Plane;
import org.triplane.segmentation.infer.PlanePrediction;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.pipeline.PlaneTraining;
import org.triplane.segmentation.train.EpochListener;
import org.triplane.segmentation.train.TrainingOutcome;
import org.triplane.segmentation.train.TrainingSettings;

/**
 * Air and bone around the head must come out as background after a short training: the fault that
 * labelled a litre of air around each head as right caudate and lentiform. Trained as the demo
 * trains (small preset, 3 mm model grid, 8 epochs, batch 4, learning rate 1e-3), the Tversky loss
 * alone left 39 % of these pixels labelled as a region (cross-entropy weight 0 here makes this test
 * fail); with the cross-entropy term they are background.
 */
class AirStaysBackgroundTest {
    @TempDir
    Path dir;

    @Test
    void aTinyNetworkTrainedOnTwoScansLabelsTheAirAroundThemBackground() throws IOException {
        ModelGrid grid = ModelGrid.COARSE.withSpacing(3.0);
        UNetConfig network = UNetConfig.small(2);
        List<ScanVolumes> scans = List.of(TestScans.small(1), TestScans.small(2));
        List<ScanVolumes> validation = List.of(TestScans.small(3));
        TrainingSettings settings = new TrainingSettings(8, 4, 1e-3, 0.85, 0.15,
                TrainingSettings.DEFAULT_CROSS_ENTROPY_WEIGHT, 5);
        TrainingOutcome outcome = new PlaneTraining(grid, TestScans.RESAMPLER).train(network, settings, Plane.AXIAL,
                scans, validation, Device.cpu(), dir, EpochListener.NONE);

        SampleBuilder builder = new SampleBuilder(grid, TestScans.RESAMPLER);
        PlaneSamples samples = builder.build(scans, Plane.AXIAL, SampleOptions.inference(network.depth(), true));
        PlanePrediction prediction;
        try (PlanePredictor predictor = new PlanePredictor(network, outcome.weights(), Device.cpu())) {
            prediction = predictor.predict(samples, 8);
        }
        long outside = 0;
        long wrong = 0;
        int pixels = samples.slicePixels();
        float[] inputs = samples.inputs();
        byte[] truth = samples.labels();
        byte[] labels = prediction.labels();
        for (int n = 0; n < samples.count(); n++) {
            for (int p = 0; p < pixels; p++) {
                // outside the head: no soft tissue (window byte 0: air, bone, padding) and no label
                if (inputs[(n * samples.channels()) * pixels + p] == 0 && truth[n * pixels + p] == 0) {
                    outside++;
                    if (labels[n * pixels + p] != 0) {
                        wrong++;
                    }
                }
            }
        }
        assertTrue(outside > 100_000, "pixels outside the head: " + outside);
        double correct = 1 - (double) wrong / outside;
        assertTrue(correct >= 0.999, "background outside the head: " + correct + " (" + wrong + " of " + outside
                + " labelled as a region)");
    }
}
