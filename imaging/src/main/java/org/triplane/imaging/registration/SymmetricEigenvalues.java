package org.triplane.imaging.registration;

/** Eigenvalues of a symmetric 3×3 matrix (row-major), largest first, by the closed trigonometric form. */
final class SymmetricEigenvalues {
    private SymmetricEigenvalues() {
    }

    static double[] of(double[] a) {
        double p1 = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
        double q = (a[0] + a[4] + a[8]) / 3;
        if (p1 == 0) {
            double[] d = {a[0], a[4], a[8]};
            java.util.Arrays.sort(d);
            return new double[] {d[2], d[1], d[0]};
        }
        double p2 = (a[0] - q) * (a[0] - q) + (a[4] - q) * (a[4] - q) + (a[8] - q) * (a[8] - q) + 2 * p1;
        double p = Math.sqrt(p2 / 6);
        double[] b = new double[9];
        for (int i = 0; i < 9; i++) {
            b[i] = (a[i] - (i % 4 == 0 ? q : 0)) / p;
        }
        double r = org.triplane.imaging.geometry.Matrix3.determinant(b) / 2;
        double phi = r <= -1 ? Math.PI / 3 : (r >= 1 ? 0 : Math.acos(r) / 3);
        double e1 = q + 2 * p * Math.cos(phi);
        double e3 = q + 2 * p * Math.cos(phi + 2 * Math.PI / 3);
        double e2 = 3 * q - e1 - e3;
        return new double[] {e1, e2, e3};
    }
}
