package org.triplane.imaging.registration;

/**
 * Regular-step gradient ascent on scaled parameters (a unit ≈ 1 mm of sample motion): each
 * iteration moves {@code step} along the normalised gradient; a move that does not raise the
 * metric is refused and the step halved. Stops when the step falls below {@code minStep} or after
 * {@code maxIterations} metric evaluations.
 *
 * <p>// why: a fixed-length step in millimetres is robust to the metric's scale (NCC gradients are
 * tiny and vary by level) and never jumps far from the current pose; the monotone rule makes the
 * result never worse than the start.
 */
final class GradientAscent {
    private GradientAscent() {
    }

    static AscentOutcome maximise(MapParameters map, NccMetric metric, double[] start, double step, double minStep,
                            int maxIterations) {
        double[] u = start.clone();
        NccMetric.Evaluation cur = metric.evaluate(map.matrix(u), map.offset(u), true);
        int iterations = 1;
        if (Double.isNaN(cur.value())) {
            return new AscentOutcome(u, cur.value(), iterations);
        }
        double[] grad = map.chain(u, cur.gradient());
        double s = step;
        while (iterations < maxIterations && s >= minStep) {
            double norm = 0;
            for (double v : grad) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                break;
            }
            double[] cand = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                cand[i] = u[i] + s * grad[i] / norm;
            }
            NccMetric.Evaluation e = metric.evaluate(map.matrix(cand), map.offset(cand), true);
            iterations++;
            if (e.value() > cur.value()) {
                u = cand;
                cur = e;
                grad = map.chain(u, e.gradient());
            } else {
                s *= 0.5;
            }
        }
        return new AscentOutcome(u, cur.value(), iterations);
    }
}
