package org.triplane.imaging.geometry;

/**
 * The polar decomposition {@code A = U·P} of a 3×3 matrix with positive determinant: {@code U} the
 * rotation closest to {@code A} (Frobenius norm), {@code P = Uᵀ·A} symmetric positive definite
 * (stretch). Row-major {@code double[9]} as {@link Matrix3}.
 *
 * <p>Computed by the averaging iteration {@code U ← (U + U⁻ᵀ)/2}, which converges quadratically
 * for any non-singular matrix.
 */
public record PolarDecomposition(double[] rotation, double[] stretch) {

    private static final int MAX_ITERATIONS = 100;

    public PolarDecomposition {
        rotation = rotation.clone();
        stretch = stretch.clone();
    }

    /**
     * @throws IllegalArgumentException when {@code a} is singular, not finite, or has a negative
     *                                  determinant (a mirror has no proper rotation factor)
     */
    public static PolarDecomposition of(double[] a) {
        double det = Matrix3.determinant(a);
        if (!(det > 0) || !Double.isFinite(det)) {
            throw new IllegalArgumentException("polar decomposition needs a positive determinant, got " + det);
        }
        double[] u = a.clone();
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] invT = Matrix3.transpose(Matrix3.inverse(u));
            double change = 0;
            for (int i = 0; i < 9; i++) {
                double v = 0.5 * (u[i] + invT[i]);
                change = Math.max(change, Math.abs(v - u[i]));
                u[i] = v;
            }
            if (change < 1e-15) {
                break;
            }
        }
        double[] p = Matrix3.multiply(Matrix3.transpose(u), a);
        // why: P is symmetric in exact arithmetic; averaging with its transpose removes rounding
        double[] sym = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                sym[r * 3 + c] = 0.5 * (p[r * 3 + c] + p[c * 3 + r]);
            }
        }
        return new PolarDecomposition(u, sym);
    }

    /** Angle (radians) of the rotation {@code aᵀ·b} between two rotations, in [0, π]. */
    public static double angleBetween(double[] a, double[] b) {
        double[] r = Matrix3.multiply(Matrix3.transpose(a), b);
        double c = (r[0] + r[4] + r[8] - 1) / 2;
        return Math.acos(Math.max(-1, Math.min(1, c)));
    }

    @Override
    public double[] rotation() {
        return rotation.clone();
    }

    @Override
    public double[] stretch() {
        return stretch.clone();
    }
}
