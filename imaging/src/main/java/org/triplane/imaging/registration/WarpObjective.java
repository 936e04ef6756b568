package org.triplane.imaging.registration;

/**
 * The deformable stage's objective on one pyramid level ({@link WarpProblem}): its value and its
 * gradient with respect to every node value of the control grid, 3 per node in
 * {@link DisplacementField#values()}'s order. Closed when the level's ascent ends.
 *
 * <p>// why a seam: {@link WarpMetric} computes it in plain Java on the CPU; another implementation
 * may compute the same numbers where the networks run (a tensor library on a GPU) without the
 * imaging core depending on native code.
 */
public interface WarpObjective extends Objective, AutoCloseable {

    /** Releases what the objective holds for its level (native memory, a device's buffers); nothing by default. */
    @Override
    default void close() {
    }

    /** Makes the objective of one level. */
    @FunctionalInterface
    interface Factory {
        WarpObjective create(WarpProblem problem);
    }

    /** The plain-Java objective ({@link WarpMetric}), on {@code threads} worker threads (≥ 1). */
    static Factory inJava(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        return problem -> new WarpMetric(problem, threads);
    }
}
