package org.triplane.benchmarks;

import java.util.Locale;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.IntensityWindow;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.registration.WarpObjective;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.registration.WarpObjectives;

/**
 * The atlas labels carried over by the affine registration and by the affine registration plus
 * the deformable stage ({@link DeformableRegistration}), scored against the ground truth of
 * synthetic scans (mean IoU over the 20 regions on the canonical grid, where the scan has data).
 *
 * <p>Usage: {@code DeformableScore SEED COUNT PRESET [SMOOTHNESS] [LEVEL_MM:NODE_MM,…] [ITERATIONS] [THREADS] [LOW_HU,HIGH_HU] [HIGH_PASS_MM] [FOLD_WEIGHT]},
 * PRESET one of study, mid, coarse. One line per scan, then the means. The objective's implementation:
 * {@code -Dtriplane.warp.objective=java|tensor[:DEVICE]} ({@link WarpObjectives}; default java) or
 * {@code java-rounded} (the Java objective fed float32-rounded node values: the noise level of a comparison),
 * libtorch's intra-op threads {@code -Dai.djl.pytorch.num_threads} (else the host's processors).
 */
public final class DeformableScore {
    /** {@code -Dtriplane.warp.objective} value for {@link #roundedToFloat}. */
    private static final String JAVA_ROUNDED = "java-rounded";

    private DeformableScore() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        PhantomSpec spec = AtlasAwareEvaluation.spec(args[2], seed);
        DeformableRegistration.Settings settings = DeformableRegistration.Settings.defaults(2);
        if (args.length > 3) {
            settings = settings.withSmoothness(Double.parseDouble(args[3]));
        }
        if (args.length > 4) {
            // LEVEL_MM:NODE_MM,LEVEL_MM:NODE_MM,…
            String[] parts = args[4].split(",");
            double[] levels = new double[parts.length];
            double[] nodes = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                String[] ln = parts[i].split(":");
                levels[i] = Double.parseDouble(ln[0]);
                nodes[i] = Double.parseDouble(ln[1]);
            }
            settings = settings.withLevels(levels, nodes);
        }
        if (args.length > 7) {
            String[] w = args[7].split(",");
            settings = settings.withWindow(new IntensityWindow(Double.parseDouble(w[0]), Double.parseDouble(w[1])));
        }
        if (args.length > 8) {
            settings = settings.withHighPass(Double.parseDouble(args[8]));
        }
        if (args.length > 9) {
            settings = settings.withFoldWeight(Double.parseDouble(args[9]));
        }
        if (args.length > 5) {
            settings = settings.withIterations(Integer.parseInt(args[5]));
        }
        int threads = args.length > 6 ? Integer.parseInt(args[6]) : 2;
        AtlasRegistration affine = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build());
        String objective = System.getProperty(WarpObjectives.PROPERTY, WarpObjectives.JAVA);
        WarpObjective.Factory objectives;
        if (objective.equals(JAVA_ROUNDED)) {
            objectives = roundedToFloat(WarpObjective.inJava(threads));
        } else {
            if (!objective.equals(WarpObjectives.JAVA)) {
                System.out.println("TORCH threads=" + Devices.applyThreads());
            }
            objectives = WarpObjectives.parse(objective, threads);
        }
        DeformableRegistration deformable = new DeformableRegistration(settings, objectives);
        PhantomGenerator generator = new PhantomGenerator(spec, threads);
        double sumAffine = 0;
        double sumWarp = 0;
        double leastJacobian = Double.POSITIVE_INFINITY;
        double sumCpu = 0;
        for (int n = 1; n <= count; n++) {
            PhantomSubject s = generator.generate(n);
            RegistrationResult r = affine.register(s.ct(), "scan " + n);
            double a = RegistrationVariety.meanIoU(s, r.scanToAtlas(), threads);
            long cpu = JvmCpu.nanos();
            DeformableRegistration.Outcome o = deformable.refine(s.ct(), r);
            double cpuSeconds = (JvmCpu.nanos() - cpu) / 1e9;
            sumCpu += cpuSeconds;
            double w = score(s, AtlasLabels.onGrid(s.labels().geometry(), s.pose(), o.warp(), threads), threads);
            sumAffine += a;
            sumWarp += w;
            leastJacobian = Math.min(leastJacobian, o.warp().field().leastJacobian());
            System.out.printf(Locale.ROOT, "SCAN n=%d affine=%.4f deformable=%.4f affine_s=%.1f deformable_cpu_s=%.1f ncc %s%n",
                    n, a, w, r.seconds(), cpuSeconds, o.summary());
        }
        System.out.printf(Locale.ROOT, "MEAN affine=%.4f deformable=%.4f deformable_cpu_s=%.1f least-jacobian=%.3f levels=%s nodes=%s smoothness=%s "
                + "fold-weight=%s iterations=%d window=%s high-pass=%s mm objective=%s%n",
                sumAffine / count, sumWarp / count, sumCpu / count, leastJacobian, java.util.Arrays.toString(settings.levelsMm()),
                java.util.Arrays.toString(settings.nodeSpacingMm()), settings.smoothness(), settings.foldWeight(),
                settings.maxIterations(), settings.window(), settings.highPassMm(), objective);
    }

    /**
     * The Java objective fed node values rounded to float32, as the tensor objective's are. why: the
     * ascent's path depends on every bit of the values it climbs; how far a change of float32's size
     * moves the mean IoU is the noise a comparison of the two objectives must be read against.
     */
    private static WarpObjective.Factory roundedToFloat(WarpObjective.Factory java) {
        return problem -> {
            WarpObjective inner = java.create(problem);
            return new WarpObjective() {
                @Override
                public Value evaluate(double[] parameters) {
                    double[] rounded = new double[parameters.length];
                    for (int i = 0; i < rounded.length; i++) {
                        rounded[i] = (float) parameters[i];
                    }
                    return inner.evaluate(rounded);
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        };
    }

    /** Mean IoU of {@code predicted} (canonical grid) against the truth, 0 where the scan has no data. */
    static double score(PhantomSubject s, Volume predicted, int threads) {
        Geometry g = s.labels().geometry();
        Volume scanned = RegistrationVariety.scanned(s, threads);
        byte[] p = ((VoxelBuffer.UInt8) predicted.voxels()).data;
        byte[] in = ((VoxelBuffer.UInt8) scanned.voxels()).data;
        for (int i = 0; i < p.length; i++) {
            if (in[i] == 0) {
                p[i] = 0;
            }
        }
        ConfusionMatrix c = new SegmentationEvaluator(threads).confusion(s.labels(), predicted);
        StringBuilder line = new StringBuilder("REGIONS");
        for (int k = 1; k < ConfusionMatrix.CLASSES; k++) {
            line.append(String.format(Locale.ROOT, " %d:%.2f", k, c.iou(k)));
        }
        System.out.println(line);
        return c.meanIoU();
    }

}
