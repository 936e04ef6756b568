package org.triplane.benchmarks;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.AtlasWarp;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.Objective;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.registration.WarpObjective;
import org.triplane.imaging.registration.WarpProblem;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.registration.TensorWarpObjective;

/**
 * The deformable stage's objective in plain Java ({@code WarpMetric}) against libtorch tensors
 * ({@link TensorWarpObjective}) on study-size scans (512×512×110 int16, {@link PhantomSpec#study}),
 * affinely registered as the preprocess-worker does, with the stage's default settings:
 * <ul>
 *   <li>per level (the problems the stage hands its objective, 4 and 2 mm), the CPU seconds of the
 *       objective's setup and of one evaluation (value and gradient; the mean of EVALUATIONS after
 *       two unmeasured ones: the process CPU clock ticks in 10 ms) at a smooth field of about 1 mm,
 *       how far the two disagree there, and the tensor objective's evaluation with the level's first
 *       {@value #FEW_SAMPLES} samples only (its cost that does not grow with the samples), with and
 *       without the two penalties (without: little but the operations' dispatch and the copies);</li>
 *   <li>the whole stage ({@link DeformableRegistration#refine}) with each objective: its CPU seconds,
 *       the evaluations made and the CPU seconds inside them, so the rest — pyramid, samples, the
 *       objective's setup, the L-BFGS steps: what stays on the CPU wherever the objective runs — is
 *       known; the NCC after each level, and the share of the scan's atlas-labelled voxels whose label the
 *       two warps set apart.</li>
 * </ul>
 * CPU time is the whole JVM's ({@link JvmCpu}: every thread, libtorch's pool, the collector and the
 * compilers), read around each step. libtorch's intra-op threads: {@code -Dai.djl.pytorch.num_threads}
 * (else the host's processors), applied before anything runs.
 *
 * <p>Usage: {@code WarpObjectiveTiming SEED COUNT [EVALUATIONS] [THREADS] [DEVICE]} (defaults 7701 2 20 2 cpu);
 * THREADS is the Java objective's and the pyramid's; one line per level and per scan, then the means.
 */
public final class WarpObjectiveTiming {
    /**
     * Samples of the level kept for the tensor objective's fixed cost per evaluation: the operations'
     * dispatch, autograd's bookkeeping, the node values' copies and both penalties, with next to no
     * samples to gather.
     */
    private static final int FEW_SAMPLES = 1000;

    private WarpObjectiveTiming() {
    }

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 7701;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int evaluations = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Device device = Devices.parse(args.length > 4 ? args[4] : "cpu");
        int torchThreads = Devices.applyThreads();
        System.out.printf(Locale.ROOT, "SETUP seed=%d scans=%d evaluations=%d java_threads=%d torch_threads=%d device=%s%n",
                seed, count, evaluations, threads, torchThreads, Devices.describe(device));
        DeformableRegistration.Settings settings = DeformableRegistration.Settings.defaults(threads);
        WarpObjective.Factory java = WarpObjective.inJava(threads);
        WarpObjective.Factory tensor = TensorWarpObjective.on(device);
        AtlasRegistration affine = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build());
        PhantomGenerator generator = new PhantomGenerator(PhantomSpec.study(seed), threads);
        int levels = settings.levelsMm().length;
        double[][] perEvaluation = new double[2][levels];
        double[][] setup = new double[2][levels];
        double[] stage = new double[2];
        double[] outsideObjective = new double[2];
        for (int n = 1; n <= count; n++) {
            PhantomSubject s = generator.generate(n);
            RegistrationResult r = affine.register(s.ct(), "scan " + n);
            List<WarpProblem> problems = new ArrayList<>();
            // one evaluation per level: only the problems it hands its objective are kept
            new DeformableRegistration(settings.withIterations(1), p -> {
                problems.add(p);
                return java.create(p);
            }).refine(s.ct(), r);
            for (int l = 0; l < problems.size(); l++) {
                WarpProblem p = problems.get(l);
                double[] field = smoothField(p, seed + n);
                Timed j = time(java, p, field, evaluations);
                Timed t = time(tensor, p, field, evaluations);
                WarpProblem few = firstSamples(p, FEW_SAMPLES);
                Timed floor = time(tensor, few, field, evaluations);
                Timed bare = time(tensor, new WarpProblem(few.atlasPoints(), few.values(), few.grid(), few.templateGrid(),
                        few.template(), few.outside(), 0, 0), field, evaluations);
                setup[0][l] += j.setupSeconds / count;
                setup[1][l] += t.setupSeconds / count;
                perEvaluation[0][l] += j.perEvaluationSeconds / count;
                perEvaluation[1][l] += t.perEvaluationSeconds / count;
                System.out.printf(Locale.ROOT, "LEVEL scan=%d level_mm=%.0f samples=%d node_values=%d java_setup_cpu_s=%.3f "
                                + "tensor_setup_cpu_s=%.3f java_eval_cpu_s=%.4f tensor_eval_cpu_s=%.4f value_diff=%.2e "
                                + "gradient_diff_share=%.2e tensor_eval_cpu_s_at_%d_samples=%.4f (without penalties %.4f)%n",
                        n, settings.levelsMm()[l], p.samples(), field.length, j.setupSeconds, t.setupSeconds,
                        j.perEvaluationSeconds, t.perEvaluationSeconds, Math.abs(j.value.value() - t.value.value()),
                        largestDifference(j.value, t.value), FEW_SAMPLES, floor.perEvaluationSeconds, bare.perEvaluationSeconds);
            }
            DeformableRegistration.Outcome[] outcomes = new DeformableRegistration.Outcome[2];
            Counted[] counted = {new Counted(java), new Counted(tensor)};
            double[] cpu = new double[2];
            for (int k = 0; k < 2; k++) {
                long before = JvmCpu.nanos();
                outcomes[k] = new DeformableRegistration(settings, counted[k]).refine(s.ct(), r);
                cpu[k] = (JvmCpu.nanos() - before) / 1e9;
                stage[k] += cpu[k] / count;
                outsideObjective[k] += (cpu[k] - counted[k].nanos / 1e9) / count;
            }
            System.out.printf(Locale.ROOT, "STAGE scan=%d java_cpu_s=%.2f (evaluations %d, outside them %.2f) tensor_cpu_s=%.2f "
                            + "(evaluations %d, outside them %.2f) labels_apart=%.4f java: %s | tensor: %s%n",
                    n, cpu[0], counted[0].evaluations, cpu[0] - counted[0].nanos / 1e9, cpu[1], counted[1].evaluations,
                    cpu[1] - counted[1].nanos / 1e9, labelsApart(s.ct().geometry(), outcomes[0].warp(), outcomes[1].warp(), threads),
                    outcomes[0].summary(), outcomes[1].summary());
        }
        StringBuilder mean = new StringBuilder("MEAN");
        for (int l = 0; l < levels; l++) {
            mean.append(String.format(Locale.ROOT, " level_%.0fmm: java_eval_cpu_s=%.4f tensor_eval_cpu_s=%.4f java_setup_cpu_s=%.3f "
                    + "tensor_setup_cpu_s=%.3f;", settings.levelsMm()[l], perEvaluation[0][l], perEvaluation[1][l], setup[0][l], setup[1][l]));
        }
        System.out.println(mean.append(String.format(Locale.ROOT, " stage: java_cpu_s=%.2f (outside the objective %.2f) "
                + "tensor_cpu_s=%.2f (outside the objective %.2f) per scan", stage[0], outsideObjective[0], stage[1], outsideObjective[1])));
    }

    /** The same level with only its first {@code count} samples. */
    private static WarpProblem firstSamples(WarpProblem p, int count) {
        return new WarpProblem(java.util.Arrays.copyOf(p.atlasPoints(), 3 * count), java.util.Arrays.copyOf(p.values(), count),
                p.grid(), p.templateGrid(), p.template(), p.outside(), p.smoothness(), p.foldWeight());
    }

    /** A factory whose objectives count their evaluations and the process CPU time spent in them. */
    private static final class Counted implements WarpObjective.Factory {
        private final WarpObjective.Factory inner;
        long nanos;
        int evaluations;

        Counted(WarpObjective.Factory inner) {
            this.inner = inner;
        }

        @Override
        public WarpObjective create(WarpProblem problem) {
            WarpObjective objective = inner.create(problem);
            return new WarpObjective() {
                @Override
                public Value evaluate(double[] parameters) {
                    long before = JvmCpu.nanos();
                    Value v = objective.evaluate(parameters);
                    nanos += JvmCpu.nanos() - before;
                    evaluations++;
                    return v;
                }

                @Override
                public void close() {
                    objective.close();
                }
            };
        }
    }

    /** An objective's setup and mean evaluation CPU seconds at {@code field}, and its value there. */
    private record Timed(double setupSeconds, double perEvaluationSeconds, Objective.Value value) {
    }

    private static Timed time(WarpObjective.Factory factory, WarpProblem problem, double[] field, int evaluations) {
        long start = JvmCpu.nanos();
        try (WarpObjective objective = factory.create(problem)) {
            double setup = (JvmCpu.nanos() - start) / 1e9;
            Objective.Value value = objective.evaluate(field);
            objective.evaluate(field);
            long before = JvmCpu.nanos();
            for (int e = 0; e < evaluations; e++) {
                objective.evaluate(field);
            }
            return new Timed(setup, (JvmCpu.nanos() - before) / 1e9 / evaluations, value);
        }
    }

    /** Node values of about 1 mm: a smooth sine pattern over the control grid plus a seeded 0.3 mm jitter. */
    private static double[] smoothField(WarpProblem p, long seed) {
        int[] dims = p.grid().dims();
        double[] d = new double[3 * dims[0] * dims[1] * dims[2]];
        Random r = new Random(seed);
        for (int k = 0, node = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++, node++) {
                    for (int c = 0; c < 3; c++) {
                        d[3 * node + c] = Math.sin(0.4 * i + c) * Math.cos(0.3 * j) * Math.sin(0.5 * k + 1) + 0.3 * r.nextGaussian();
                    }
                }
            }
        }
        return d;
    }

    /** The share of the voxels labelled by either map whose atlas label the two maps set apart (nearest neighbour, on the scan's grid). */
    private static double labelsApart(Geometry scan, AtlasWarp a, AtlasWarp b, int threads) {
        byte[] la = ((VoxelBuffer.UInt8) AtlasLabels.onGrid(scan, null, a, threads).voxels()).data;
        byte[] lb = ((VoxelBuffer.UInt8) AtlasLabels.onGrid(scan, null, b, threads).voxels()).data;
        long labelled = 0;
        long apart = 0;
        for (int i = 0; i < la.length; i++) {
            if (la[i] != 0 || lb[i] != 0) {
                labelled++;
                if (la[i] != lb[i]) {
                    apart++;
                }
            }
        }
        return (double) apart / labelled;
    }

    /** The largest gradient difference as a share of the Java gradient's largest entry. */
    private static double largestDifference(Objective.Value a, Objective.Value b) {
        double scale = 0;
        for (double v : a.gradient()) {
            scale = Math.max(scale, Math.abs(v));
        }
        return largestDifference(a.gradient(), b.gradient()) / scale;
    }

    private static double largestDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
