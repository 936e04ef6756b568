package org.triplane.segmentation.pipeline;

import java.util.List;
import java.util.Objects;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.resample.Resampler;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.data.PredictionVolumes;
import org.triplane.segmentation.data.SampleBuilder;
import org.triplane.segmentation.data.SampleOptions;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.infer.PredictionStats;

/**
 * One plane of one scan, end to end: the windowed scan (uint8, x fastest, LPS mm, on its own
 * rotated grid) is resampled onto the model's grid, cut into the plane's slices (NCHW, with the
 * position channel when the network takes one), predicted in batches, and the labels and
 * confidences are put back onto the scan's grid through the class probabilities
 * ({@link PredictionVolumes#toScanGrid(org.triplane.imaging.volume.Geometry,
 * org.triplane.imaging.geometry.AffineTransform, Plane, int, byte[], byte[], byte[][])}).
 */
public final class PlaneInference {
    private final SampleBuilder samples;
    private final PredictionVolumes volumes;

    /** @param grid the model grid the network was trained on */
    public PlaneInference(ModelGrid grid, Resampler resampler) {
        this.samples = new SampleBuilder(grid, resampler);
        this.volumes = new PredictionVolumes(grid, resampler);
    }

    /**
     * What one plane's inference produced.
     *
     * @param prediction the plane's labels 0..20 and confidence 0..255, uint8 on the scan's grid
     * @param stats      slices, seconds, throughput, device and batch size of the network pass
     */
    public record Result(PlanePrediction prediction, PredictionStats stats) {
    }

    /**
     * @param predictor the plane's network
     * @param plane     which plane's slices to cut
     * @param scan      the windowed scan (labels, if any, are ignored)
     * @param batchSize slices per forward pass
     */
    public Result infer(PlanePredictor predictor, Plane plane, ScanVolumes scan, int batchSize) {
        Objects.requireNonNull(predictor, "predictor");
        int depth = predictor.config().depth();
        ScanVolumes input = scan.withoutLabels();
        PlaneSamples slices = samples.build(List.of(input), plane, SampleOptions.inference(depth, predictor.config().inputs()));
        org.triplane.segmentation.infer.PlanePrediction out = predictor.predict(slices, batchSize, true);
        PlanePrediction onScan = volumes.toScanGrid(scan.grid(), scan.toAtlas(), plane, depth, out.labels(), out.confidence(),
                out.probabilities());
        return new Result(onScan, out.stats());
    }
}
