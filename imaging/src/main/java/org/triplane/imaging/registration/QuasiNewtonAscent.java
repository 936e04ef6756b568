package org.triplane.imaging.registration;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS ascent of the metric on scaled parameters (a unit ≈ 1 mm of sample motion),
 * with a backtracking (Armijo) line search. Every step is capped at {@code maxStep}; the first step
 * and any restart follow the gradient with length {@code maxStep}. Stops when an accepted step is
 * shorter than {@code minStep}, when the line search cannot raise the metric by a step of at least
 * {@code minStep}, or after {@code maxIterations} metric evaluations.
 *
 * <p>// why: the 12 affine parameters are coupled (scale against translation, shear against
 * rotation); a steepest-ascent walk zig-zags and halts short of the optimum, while the
 * quasi-Newton directions reach it in a few tens of evaluations.
 */
final class QuasiNewtonAscent {
    /** Curvature pairs kept for the affine map's 12 parameters. */
    private static final int AFFINE_MEMORY = 7;
    private static final double ARMIJO = 1e-4;

    private QuasiNewtonAscent() {
    }

    static AscentOutcome maximise(MapParameters map, NccMetric metric, double[] start, double maxStep,
                                           double minStep, int maxIterations) {
        return maximise(x -> {
            NccMetric.Evaluation e = metric.evaluate(map.matrix(x), map.offset(x), true);
            return Double.isNaN(e.value()) ? new Objective.Value(e.value(), null)
                    : new Objective.Value(e.value(), map.chain(x, e.gradient()));
        }, start, maxStep, minStep, maxIterations, AFFINE_MEMORY);
    }

    /**
     * Maximises {@code objective} from {@code start}; the gradient is read only where the value is
     * a number.
     *
     * @param memory curvature pairs kept (the last ones)
     */
    static AscentOutcome maximise(Objective objective, double[] start, double maxStep, double minStep,
                                  int maxIterations, int memory) {
        int n = start.length;
        double[] x = start.clone();
        Objective.Value e = objective.evaluate(x);
        int iterations = 1;
        if (Double.isNaN(e.value())) {
            return new AscentOutcome(x, e.value(), iterations);
        }
        // minimise f = −NCC
        double f = -e.value();
        double[] g = negate(e.gradient());
        Deque<double[][]> history = new ArrayDeque<>();
        while (iterations < maxIterations) {
            double[] d = direction(g, history);
            double slope = dot(d, g);
            if (history.isEmpty() || !(slope < 0)) {
                history.clear();
                double gn = Math.sqrt(dot(g, g));
                if (gn == 0) {
                    break;
                }
                d = scale(g, -maxStep / gn);
                slope = dot(d, g);
            }
            double len = Math.sqrt(dot(d, d));
            if (len > maxStep) {
                d = scale(d, maxStep / len);
                slope *= maxStep / len;
                len = maxStep;
            }
            double alpha = 1;
            double[] xn = null;
            double fn = 0;
            double[] gnew = null;
            boolean accepted = false;
            while (iterations < maxIterations) {
                xn = new double[n];
                for (int i = 0; i < n; i++) {
                    xn[i] = x[i] + alpha * d[i];
                }
                Objective.Value en = objective.evaluate(xn);
                iterations++;
                fn = -en.value();
                if (!Double.isNaN(fn) && fn <= f + ARMIJO * alpha * slope) {
                    gnew = negate(en.gradient());
                    accepted = true;
                    break;
                }
                alpha *= 0.5;
                if (alpha * len < minStep) {
                    break;
                }
            }
            if (!accepted) {
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xn[i] - x[i];
                y[i] = gnew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
                history.addLast(new double[][] {s, y, {1 / sy}});
                if (history.size() > memory) {
                    history.removeFirst();
                }
            }
            x = xn;
            f = fn;
            g = gnew;
            if (alpha * len < minStep) {
                break;
            }
        }
        return new AscentOutcome(x, -f, iterations);
    }

    /**
     * {@link #maximise(Objective, double[], double, double, int, int)} started again from where it
     * stopped, with an empty history and a step along the gradient, for as long as a run raises the
     * value and {@code maxEvaluations} (all runs together) allow.
     *
     * <p>// why: on the deformable stage's thousands of node values the curvature pairs go stale
     * where the objective bends, the line search then fails along the quasi-Newton direction and a
     * single run stopped after about ten evaluations, 1.4 mm from the generator's displacement where
     * restarts reach 0.9 mm (BENCHMARKS.md, section 14).
     */
    static AscentOutcome maximiseRestarting(Objective objective, double[] start, double maxStep, double minStep,
                                            int maxEvaluations, int memory) {
        AscentOutcome best = maximise(objective, start, maxStep, minStep, maxEvaluations, memory);
        int used = best.iterations();
        while (used < maxEvaluations) {
            AscentOutcome next = maximise(objective, best.parameters(), maxStep, minStep, maxEvaluations - used, memory);
            used += next.iterations();
            if (!(next.value() > best.value())) {
                break;
            }
            best = new AscentOutcome(next.parameters(), next.value(), used);
        }
        return new AscentOutcome(best.parameters(), best.value(), used);
    }

    /** The two-loop recursion: {@code −H·g}, H scaled by the latest pair's {@code sᵀy / yᵀy}. */
    private static double[] direction(double[] g, Deque<double[][]> history) {
        double[] q = g.clone();
        int m = history.size();
        double[] a = new double[m];
        int k = m - 1;
        for (Iterator<double[][]> it = history.descendingIterator(); it.hasNext(); k--) {
            double[][] p = it.next();
            a[k] = p[2][0] * dot(p[0], q);
            for (int i = 0; i < q.length; i++) {
                q[i] -= a[k] * p[1][i];
            }
        }
        if (m > 0) {
            double[][] last = history.peekLast();
            double gamma = 1 / (last[2][0] * dot(last[1], last[1]));
            q = scale(q, gamma);
        }
        k = 0;
        for (double[][] p : history) {
            double b = p[2][0] * dot(p[1], q);
            for (int i = 0; i < q.length; i++) {
                q[i] += (a[k] - b) * p[0][i];
            }
            k++;
        }
        return scale(q, -1);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] scale(double[] a, double f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * f;
        }
        return out;
    }

    private static double[] negate(double[] a) {
        return scale(a, -1);
    }
}
