package org.triplane.benchmarks;

import java.util.Locale;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.WeightedVoteFit;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Times the fit behind {@code triplane model-set fit-fusion} ({@link WeightedVoteFit}) on study-size
 * scans (512×512×116, 0.45×0.45×1.25 mm): per scan the three plane predictions of
 * {@link FusionTiming} (a phantom's labels with each plane's kind of error) and an atlas member
 * erring like the axial plane, counted in turn ({@code add}), then fitted. Prints one JSON line: the
 * share of voxels the members contest (the only ones voted again), seconds to count and to fit, and
 * the fitted, equal weights' and best member's mean IoU.
 *
 * <p>Usage: {@code FusionFitTiming [SCANS] [PASSES] [THREADS]} (defaults: 1, 3, all processors).
 */
public final class FusionFitTiming {
    private static final int NZ = 116;

    private FusionFitTiming() {
    }

    public static void main(String[] args) {
        int scans = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        PhantomSpec spec = new PhantomSpec(PhantomSpec.STUDY_NX, PhantomSpec.STUDY_NY, NZ, new double[] {0.45, 0.45, 1.25},
                PhantomSpec.DEFAULT_CENTRE_Z_MM, 1L, PhantomSpec.Variation.DEFAULT);
        PhantomGenerator generator = new PhantomGenerator(spec, threads);
        WeightedVoteFit fit = new WeightedVoteFit();
        long contested = 0;
        long voxels = 0;
        double addSeconds = 0;
        for (int n = 1; n <= scans; n++) {
            PhantomSubject subject = generator.generate(n);
            Volume truth = subject.labels();
            PlanePrediction axial = FusionTiming.perturbed(Plane.AXIAL, truth, 10L * n + 1);
            PlanePrediction coronal = FusionTiming.perturbed(Plane.CORONAL, truth, 10L * n + 2);
            PlanePrediction sagittal = FusionTiming.perturbed(Plane.SAGITTAL, truth, 10L * n + 3);
            Volume atlas = FusionTiming.perturbed(Plane.AXIAL, truth, 10L * n + 4).labels();
            byte[][] l = {bytes(axial.labels()), bytes(coronal.labels()), bytes(sagittal.labels()), bytes(atlas)};
            for (int v = 0; v < l[0].length; v++) {
                contested += l[0][v] == l[1][v] && l[1][v] == l[2][v] && l[2][v] == l[3][v] ? 0 : 1;
            }
            voxels += l[0].length;
            long t0 = System.nanoTime();
            fit.add(new WeightedVoteFit.Scan(axial, coronal, sagittal, atlas, truth));
            addSeconds += (System.nanoTime() - t0) / 1e9;
        }
        long t1 = System.nanoTime();
        WeightedVoteFit.Result r = fit.fit(passes);
        double fitSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT, "{\"grid\":\"%dx%dx%d\",\"scans\":%d,\"passes\":%d,\"contested\":%.4f,\"add_s\":%.1f,"
                        + "\"fit_s\":%.1f,\"meanIoU\":%.4f,\"equalWeightsMeanIoU\":%.4f,\"bestMemberMeanIoU\":%.4f}%n",
                PhantomSpec.STUDY_NX, PhantomSpec.STUDY_NY, NZ, scans, passes, (double) contested / voxels, addSeconds,
                fitSeconds, r.meanIoU(), r.equalWeightsMeanIoU(), r.bestMemberMeanIoU());
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }
}
