package org.triplane.gpu.service;

import org.triplane.db.scans.ScanRegistration;
import org.triplane.imaging.registration.DisplacementField;
import org.triplane.worker.run.PoisonInputException;

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

    /**
     * The deformable stage of a scan's registration, for a model set whose atlas inputs follow it.
     *
     * @param who how the failure names what needs it (the task or job and the model set)
     * @throws PoisonInputException when the scan has no registration, or one without the deformable stage,
     *                              or the stored field is malformed
     */
    static DisplacementField warpOf(ScanRegistration registration, String who) {
        if (registration == null || !registration.deformable()) {
            throw new PoisonInputException(who + " takes atlas inputs that follow the scan's deformable registration, "
                    + "and the scan " + (registration == null ? "has no atlas registration"
                    : "was registered without the deformable stage") + "; preprocess it again with the deformable stage on "
                    + "(the preprocess-worker's registration-deformable setting, on by default) or use a model set trained "
                    + "with atlasRegistration \"affine\"");
        }
        try {
            return DisplacementField.fromArray(registration.atlasWarp().stream().mapToDouble(Double::doubleValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new PoisonInputException(who + ": the scan's stored deformable registration is unusable: " + e.getMessage(), e);
        }
    }
}
