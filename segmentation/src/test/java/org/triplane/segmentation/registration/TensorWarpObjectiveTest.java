package org.triplane.segmentation.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.Objective;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.registration.WarpObjective;
import org.triplane.imaging.registration.WarpProblem;
import org.triplane.segmentation.infer.Devices;

/**
 * The tensor objective against the plain-Java one ({@code WarpMetric}, an independent
 * implementation that supplies every expected number) on a real level of the deformable stage: a
 * synthetic phantom registered affinely to the shipped template, its samples and the high-passed
 * template exactly as {@link DeformableRegistration} hands them to an objective, and a displacement
 * field large enough to fold some control cells, so that the NCC, the strain and the fold penalty
 * all weigh in the value and the gradient.
 */
class TensorWarpObjectiveTest {
    /**
     * float32 against float64: the value's tolerance (values here −21..0.8; measured differences
     * 1e-7–6e-7, float32's resolution at 21 is 2e-6).
     */
    private static final double VALUE_TOLERANCE = 5e-6;
    /**
     * float32 against float64: each gradient entry's tolerance, as a share of the largest entry
     * (measured 1.5e-7–7e-7).
     */
    private static final double GRADIENT_TOLERANCE = 1e-5;

    private static WarpProblem problem;
    private static double[] field;

    @BeforeAll
    static void aRealLevel() throws Exception {
        Devices.applyThreads(2);
        PhantomSubject s = new PhantomGenerator(PhantomSpec.of(128, 128, 40, new double[] {1.8, 1.8, 4.0}, 8101L), 2)
                .generate(1);
        RegistrationResult affine = new AtlasRegistration(RegistrationSettings.builder().setThreads(2).build())
                .register(s.ct(), "phantom 8101/1");
        List<WarpProblem> handed = new ArrayList<>();
        WarpObjective.Factory java = WarpObjective.inJava(2);
        // one 8 mm level on a 20 mm control grid, one evaluation: only the problem it is handed is kept
        DeformableRegistration.Settings settings = DeformableRegistration.Settings.defaults(2)
                .withLevels(new double[] {8}, new double[] {20}).withIterations(1);
        new DeformableRegistration(settings, p -> {
            handed.add(p);
            return java.create(p);
        }).refine(s.ct(), affine);
        problem = handed.get(0);
        field = displacement(problem, 11);
    }

    @Test
    void valueAndGradientAgreeWithTheJavaObjective() {
        assertTrue(problem.samples() > 2_000 && problem.samples() < 20_000, "samples: " + problem.samples());
        assertAgree(evaluateInJava(problem), evaluateOnTensors(problem));
    }

    /**
     * At the stage's weights the strain penalty's share of the gradient lies within the tolerance of
     * the NCC's; weighted a thousandfold on the same level (the fold penalty as it is) each penalty
     * moves the value and the gradient by far more than the tolerances, so that an objective lacking
     * either fails here.
     */
    @Test
    void theStrainAndTheFoldPenaltyAgreeWhereTheyWeighAsMuchAsTheNcc() {
        WarpProblem heavy = withWeights(problem, 1000 * problem.smoothness(), problem.foldWeight());
        Objective.Value expected = evaluateInJava(heavy);
        for (WarpProblem without : List.of(withWeights(heavy, 0, heavy.foldWeight()), withWeights(heavy, heavy.smoothness(), 0))) {
            Objective.Value lacking = evaluateInJava(without);
            assertTrue(Math.abs(expected.value() - lacking.value()) > 100 * VALUE_TOLERANCE,
                    "a penalty moves the value by " + Math.abs(expected.value() - lacking.value()));
            double scale = largest(expected.gradient());
            double moved = 0;
            for (int i = 0; i < expected.gradient().length; i++) {
                moved = Math.max(moved, Math.abs(expected.gradient()[i] - lacking.gradient()[i]));
            }
            assertTrue(moved > 20 * GRADIENT_TOLERANCE * scale, "a penalty moves the gradient by " + moved + " of " + scale);
        }
        assertAgree(expected, evaluateOnTensors(heavy));
    }

    @Test
    void withoutPenaltiesTooTheNccAndItsGradientAgree() {
        WarpProblem nccOnly = withWeights(problem, 0, 0);
        assertAgree(evaluateInJava(nccOnly), evaluateOnTensors(nccOnly));
    }

    /** A template that reads one value everywhere: the NCC does not exist, and neither objective gives a gradient. */
    @Test
    void aFlatTemplateGivesNoValueAndNoGradient() {
        float[] flat = new float[problem.template().length];
        java.util.Arrays.fill(flat, problem.outside());
        WarpProblem blank = new WarpProblem(problem.atlasPoints(), problem.values(), problem.grid(), problem.templateGrid(),
                flat, problem.outside(), problem.smoothness(), problem.foldWeight());
        Objective.Value expected = evaluateInJava(blank);
        assertTrue(Double.isNaN(expected.value()) && expected.gradient() == null, "the Java objective: " + expected.value());
        Objective.Value actual = evaluateOnTensors(blank);
        assertTrue(Double.isNaN(actual.value()), "value " + actual.value());
        assertEquals(null, actual.gradient());
    }

    /** Two registrations in one JVM: their objectives' evaluations take turns and give what one alone gives. */
    @Test
    void twoThreadsEvaluatingAtOnceBothGetTheValue() throws Exception {
        Objective.Value alone = evaluateOnTensors(problem);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (WarpObjective a = TensorWarpObjective.on(Device.cpu()).create(problem);
             WarpObjective b = TensorWarpObjective.on(Device.cpu()).create(problem)) {
            List<java.util.concurrent.Future<Double>> runs = new ArrayList<>();
            for (WarpObjective o : List.of(a, b)) {
                runs.add(pool.submit(() -> {
                    double last = Double.NaN;
                    for (int i = 0; i < 15; i++) {
                        last = o.evaluate(field).value();
                    }
                    return last;
                }));
            }
            for (java.util.concurrent.Future<Double> run : runs) {
                assertEquals(alone.value(), run.get(), 0.0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertAgree(Objective.Value expected, Objective.Value actual) {
        assertTrue(Double.isFinite(expected.value()), "the Java objective's value: " + expected.value());
        assertEquals(expected.value(), actual.value(), VALUE_TOLERANCE, "value");
        double scale = largest(expected.gradient());
        assertTrue(scale > 0, "a gradient of zero checks nothing");
        int nonZero = 0;
        for (int i = 0; i < expected.gradient().length; i++) {
            assertEquals(expected.gradient()[i], actual.gradient()[i], GRADIENT_TOLERANCE * scale, "gradient entry " + i);
            if (Math.abs(expected.gradient()[i]) > 10 * GRADIENT_TOLERANCE * scale) {
                nonZero++;
            }
        }
        assertTrue(nonZero >= 100, "too few gradient entries well above the tolerance: " + nonZero + " of "
                + expected.gradient().length);
    }

    private static Objective.Value evaluateInJava(WarpProblem p) {
        try (WarpObjective java = WarpObjective.inJava(2).create(p)) {
            return java.evaluate(field);
        }
    }

    private static Objective.Value evaluateOnTensors(WarpProblem p) {
        try (WarpObjective tensor = TensorWarpObjective.on(Device.cpu()).create(p)) {
            return tensor.evaluate(field);
        }
    }

    private static WarpProblem withWeights(WarpProblem p, double smoothness, double foldWeight) {
        return new WarpProblem(p.atlasPoints(), p.values(), p.grid(), p.templateGrid(), p.template(), p.outside(),
                smoothness, foldWeight);
    }

    private static double largest(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * Node values of a few mm: a smooth shift with a seeded random part of σ 5 mm per value, which on
     * a 20 mm grid folds some control-cell corners below the floor.
     */
    private static double[] displacement(WarpProblem p, long seed) {
        double[] d = p.grid().values();
        Random r = new Random(seed);
        for (int i = 0; i < d.length; i++) {
            d[i] = (i % 3 == 0 ? 1.5 : -0.5) + 5 * r.nextGaussian();
        }
        return d;
    }
}
