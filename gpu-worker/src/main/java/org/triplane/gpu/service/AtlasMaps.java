package org.triplane.gpu.service;

import java.util.List;
import org.triplane.imaging.geometry.AffineTransform;

/**
 * The rotated-scan → atlas map as the job database and the plane-task events hold it: 12 numbers,
 * the matrix row-major (9) then the offset (3, mm), {@code x_atlas = M·p + offset}.
 */
final class AtlasMaps {
    private AtlasMaps() {
    }

    /** @throws IllegalArgumentException unless there are 12 finite numbers */
    static AffineTransform of(double[] twelve) {
        if (twelve == null || twelve.length != 12) {
            throw new IllegalArgumentException("a rotated-scan → atlas map needs 12 numbers (matrix row-major, offset mm), got "
                    + (twelve == null ? "none" : twelve.length));
        }
        for (double v : twelve) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a rotated-scan → atlas map needs finite numbers, got "
                        + java.util.Arrays.toString(twelve));
            }
        }
        double[] matrix = java.util.Arrays.copyOf(twelve, 9);
        double[] offset = java.util.Arrays.copyOfRange(twelve, 9, 12);
        // why: with the centre at the origin ITK's translation is the offset itself
        return new AffineTransform(matrix, new double[3], offset);
    }

    static AffineTransform of(List<Double> twelve) {
        return of(twelve.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
