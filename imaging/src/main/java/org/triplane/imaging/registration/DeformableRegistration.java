package org.triplane.imaging.registration;

import java.util.Locale;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.volume.Volume;

/**
 * The deformable stage after {@link AtlasRegistration}: a smooth displacement of atlas space
 * ({@link DisplacementField}) that lines the CT template up with the scan where an affine map
 * cannot (ventricles, the basal ganglia, the cortex of one head against the template's).
 *
 * <p>Method: both images clamped to a brain window, block-averaged per level (coarse to fine) and
 * less their local mean ({@link HighPass});
 * the scan's voxels within the template's head (through the affine map) are fixed samples at
 * their affine atlas points {@code a}; the node values of {@code d} maximise the NCC of the
 * template at {@code a + d(a)} against the samples, minus a strain and a fold penalty
 * ({@link WarpProblem}, computed by a {@link WarpObjective}: by default {@link WarpMetric}),
 * by L-BFGS ({@link QuasiNewtonAscent}); each level starts from the previous level's field on a
 * grid of finer nodes.
 *
 * <p>// why a brain window: the affine stage compares the head's outline and skull (−100..200 HU),
 * which fix pose and size; what is left to fit is inside the brain, where CSF (0–15 HU) against
 * grey and white matter (25–40 HU) is the contrast, and bone and air clamped to the window's ends
 * keep the outline without letting the skull's high values dominate.
 */
public final class DeformableRegistration {
    /**
     * Shortest step, as a share of the longest: small enough that a run ends on a failed line search
     * or the evaluation budget, not on a step length that the smooth parts of the field still take.
     */
    private static final double MIN_STEP_SHARE = 1e-6;

    /**
     * why 0.01: on the held-out synthetic scans it leaves no corner below the floor for 0.005 of the
     * atlas method's mean IoU, where 0.1 and 1 cost 0.010–0.015 and four to six times the stage's
     * time (BENCHMARKS.md, section 14).
     */
    static final double DEFAULT_FOLD_WEIGHT = 0.01;

    /**
     * Curvature pairs the ascent keeps. why 20, not the affine stage's 7: on tens of thousands of
     * node values more pairs model the strain penalty's coupling of neighbouring nodes; on the
     * tuning scans 200 evaluations with 20 pairs reach a higher mean IoU than 400 with 7
     * (BENCHMARKS.md, section 22).
     */
    static final int CURVATURE_PAIRS = 20;

    private final Settings settings;
    private final WarpObjective.Factory objectives;

    /**
     * @param window         HU band compared
     * @param levelsMm       sample voxel sizes per level, coarsest first (mm)
     * @param nodeSpacingMm  control node spacing per level (mm), one per level
     * @param smoothness     strain penalty weight {@code λ} (see {@link WarpProblem})
     * @param maxIterations  metric evaluations per level (all restarts of the ascent together)
     * @param marginMm       air margin around the template's head that still counts (mm)
     * @param highPassMm     radius of the local mean taken off both images before they are compared
     *                       ({@link HighPass}; 0 compares the windowed HU as they are)
     * @param foldWeight     weight {@code μ} of the penalty on control-cell corners whose Jacobian
     *                       determinant falls below {@value WarpProblem#FOLD_FLOOR} ({@link CornerJacobians}; 0: none)
     * @param threads        worker threads (≥ 1)
     */
    public record Settings(IntensityWindow window, double[] levelsMm, double[] nodeSpacingMm, double smoothness,
                           int maxIterations, double marginMm, double highPassMm, double foldWeight, int threads) {
        public Settings {
            levelsMm = levelsMm.clone();
            nodeSpacingMm = nodeSpacingMm.clone();
            if (levelsMm.length == 0 || levelsMm.length != nodeSpacingMm.length) {
                throw new IllegalArgumentException("one node spacing per level is needed");
            }
            if (threads < 1 || maxIterations < 1 || !(smoothness >= 0) || !(highPassMm >= 0) || !(foldWeight >= 0)) {
                throw new IllegalArgumentException("threads and iterations must be ≥ 1, smoothness, high-pass radius and "
                        + "fold weight ≥ 0");
            }
        }

        @Override
        public double[] levelsMm() {
            return levelsMm.clone();
        }

        @Override
        public double[] nodeSpacingMm() {
            return nodeSpacingMm.clone();
        }

        /** Measured on synthetic scans (BENCHMARKS.md, sections 12, 14 and 22). */
        public static Settings defaults(int threads) {
            return new Settings(new IntensityWindow(-10, 90), new double[] {4, 2}, new double[] {20, 10}, 0.02, 200, 5,
                    6, DEFAULT_FOLD_WEIGHT, threads);
        }

        public Settings withSmoothness(double value) {
            return new Settings(window, levelsMm, nodeSpacingMm, value, maxIterations, marginMm, highPassMm, foldWeight, threads);
        }

        public Settings withLevels(double[] levels, double[] nodeSpacing) {
            return new Settings(window, levels, nodeSpacing, smoothness, maxIterations, marginMm, highPassMm, foldWeight, threads);
        }

        public Settings withWindow(IntensityWindow value) {
            return new Settings(value, levelsMm, nodeSpacingMm, smoothness, maxIterations, marginMm, highPassMm, foldWeight, threads);
        }

        public Settings withNodeSpacing(double... mm) {
            return new Settings(window, levelsMm, mm, smoothness, maxIterations, marginMm, highPassMm, foldWeight, threads);
        }

        public Settings withHighPass(double radiusMm) {
            return new Settings(window, levelsMm, nodeSpacingMm, smoothness, maxIterations, marginMm, radiusMm, foldWeight, threads);
        }

        public Settings withFoldWeight(double value) {
            return new Settings(window, levelsMm, nodeSpacingMm, smoothness, maxIterations, marginMm, highPassMm, value, threads);
        }

        public Settings withIterations(int value) {
            return new Settings(window, levelsMm, nodeSpacingMm, smoothness, value, marginMm, highPassMm, foldWeight, threads);
        }
    }

    /** What the stage found: the warp and, per level, the objective before and after. */
    public record Outcome(AtlasWarp warp, double[] nccBefore, double[] nccAfter, double seconds) {
        public String summary() {
            StringBuilder s = new StringBuilder();
            for (int l = 0; l < nccBefore.length; l++) {
                s.append(String.format(Locale.ROOT, "%s%.4f→%.4f", l == 0 ? "" : " ", nccBefore[l], nccAfter[l]));
            }
            return s.append(String.format(Locale.ROOT, " max %.1f mm, least Jacobian %.2f, %.1f s",
                    warp.field().maxDisplacementMm(), warp.field().leastJacobian(), seconds)).toString();
        }
    }

    /** The stage with the plain-Java objective on {@code settings.threads()} threads. */
    public DeformableRegistration(Settings settings) {
        this(settings, WarpObjective.inJava(settings.threads()));
    }

    /** The stage with each level's objective made by {@code objectives} (the same function, computed elsewhere). */
    public DeformableRegistration(Settings settings, WarpObjective.Factory objectives) {
        this.settings = settings;
        this.objectives = objectives;
    }

    /** Refines {@code affine} on {@code scan} (HU, the grid {@code affine} was found on). */
    public Outcome refine(Volume scan, RegistrationResult affine) {
        long start = System.nanoTime();
        AffineTransform toAtlas = affine.scanToAtlas();
        double[] centre = affine.headCentre();
        double[] m = toAtlas.matrix();
        double[] b = toAtlas.apply(centre);
        double[] levels = settings.levelsMm();
        double[] spacings = settings.nodeSpacingMm();
        double[] before = new double[levels.length];
        double[] after = new double[levels.length];
        DisplacementField field = null;
        for (int l = 0; l < levels.length; l++) {
            PyramidLevel level = Downsampler.fromHu(scan, Downsampler.factors(scan.geometry().spacing(), levels[l]),
                    settings.window(), settings.threads()).highPassed(settings.highPassMm());
            PyramidLevel template = TemplatePyramid.highPassed(settings.window(),
                    TemplatePyramid.factorFor(level.geometry().spacing()), settings.highPassMm(), settings.threads());
            SampleSet samples = SampleSet.of(level, centre, settings.marginMm())
                    .within(SampleSet.dilate(template.tissue(), settings.marginMm()), template.geometry(), m, b);
            float[] points = atlasPoints(samples, m, b);
            DisplacementField grid = covering(points, spacings[l]);
            field = field == null ? grid : field.resampledTo(grid.origin(), grid.spacing(), grid.dims());
            // why: beyond the template the image is air clamped to the window's low end, and less its local mean that is 0
            float outside = settings.highPassMm() > 0 ? 0f : (float) settings.window().low();
            WarpProblem problem = new WarpProblem(points, samples.value(), grid, template.image().geometry(),
                    template.image().values(), outside, settings.smoothness(), settings.foldWeight());
            double[] x = field.values();
            double stepScale = Math.sqrt(grid.nodeCount());
            AscentOutcome o;
            try (WarpObjective objective = objectives.create(problem)) {
                before[l] = objective.evaluate(x).value();
                o = QuasiNewtonAscent.maximiseRestarting(objective, x, levels[l] * stepScale,
                        MIN_STEP_SHARE * levels[l] * stepScale, settings.maxIterations(), CURVATURE_PAIRS);
            }
            after[l] = o.value();
            if (o.value() >= before[l]) {
                field = field.withValues(o.parameters());
            } else {
                after[l] = before[l];
            }
        }
        return new Outcome(new AtlasWarp(toAtlas, field), before, after, (System.nanoTime() - start) / 1e9);
    }

    /** {@code M·q + b} for every sample, 3 floats per sample (atlas LPS mm). */
    private static float[] atlasPoints(SampleSet s, double[] m, double[] b) {
        int n = s.size();
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double x = s.qx()[i];
            double y = s.qy()[i];
            double z = s.qz()[i];
            out[3 * i] = (float) (m[0] * x + m[1] * y + m[2] * z + b[0]);
            out[3 * i + 1] = (float) (m[3] * x + m[4] * y + m[5] * z + b[1]);
            out[3 * i + 2] = (float) (m[6] * x + m[7] * y + m[8] * z + b[2]);
        }
        return out;
    }

    /** A zero field whose nodes cover every point with one node to spare on each side. */
    private static DisplacementField covering(float[] points, double spacing) {
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < points.length; i += 3) {
            for (int a = 0; a < 3; a++) {
                min[a] = Math.min(min[a], points[i + a]);
                max[a] = Math.max(max[a], points[i + a]);
            }
        }
        if (points.length == 0) {
            throw new IllegalArgumentException("no scan voxels within the template's head to refine on");
        }
        for (int a = 0; a < 3; a++) {
            min[a] = Math.floor(min[a] / spacing) * spacing - spacing;
            max[a] = max[a] + spacing;
        }
        return DisplacementField.zero(min, max, spacing);
    }

}
