package org.triplane.imaging.geometry;

/**
 * 3×3 matrices as {@code double[9]} in row-major order ({@code m[r * 3 + c]}), and 3-vectors as
 * {@code double[3]}. Static helpers only: the arrays stay plain so that hot loops can read them.
 */
public final class Matrix3 {
    private Matrix3() {
    }

    public static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    /**
     * Right-handed rotation by {@code angle} radians about the first axis. StrictMath so that
     * generated files are identical on every platform.
     */
    public static double[] rotationX(double angle) {
        double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
        return new double[] {1, 0, 0, 0, c, -s, 0, s, c};
    }

    /** Right-handed rotation by {@code angle} radians about the second axis. */
    public static double[] rotationY(double angle) {
        double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
        return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
    }

    /** Right-handed rotation by {@code angle} radians about the third axis. */
    public static double[] rotationZ(double angle) {
        double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    public static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += a[r * 3 + j] * b[j * 3 + k];
                }
                c[r * 3 + k] = s;
            }
        }
        return c;
    }

    /** {@code m · v}. */
    public static double[] apply(double[] m, double[] v) {
        return new double[] {
            m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
            m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
            m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
        };
    }

    public static double determinant(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7])
                - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    /** The inverse; throws {@link IllegalArgumentException} for a singular or non-finite matrix. */
    public static double[] inverse(double[] m) {
        double det = determinant(m);
        if (det == 0 || !Double.isFinite(det)) {
            throw new IllegalArgumentException("matrix is singular (determinant " + det + ")");
        }
        double[] inv = new double[] {
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        };
        for (int i = 0; i < 9; i++) {
            inv[i] /= det;
        }
        return inv;
    }

    public static double[] transpose(double[] m) {
        return new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
    }

    /** Largest absolute element of {@code m·mᵀ − I}: 0 for an exact rotation or reflection. */
    public static double orthonormalityError(double[] m) {
        double[] p = multiply(m, transpose(m));
        double err = 0;
        for (int i = 0; i < 9; i++) {
            err = Math.max(err, Math.abs(p[i] - (i % 4 == 0 ? 1 : 0)));
        }
        return err;
    }
}
