package org.triplane.imaging.registration;

import org.triplane.imaging.geometry.EulerAngles;

/**
 * How an optimisation stage's parameters make the map {@code x = M·q + b} (scan offset {@code q}
 * from the scan's head centre → template point {@code x}, LPS mm), and how the metric's gradient
 * with respect to {@code (M, b)} becomes a gradient with respect to the parameters.
 *
 * <p>Parameters are scaled so that a unit step moves the samples by about 1 mm: angles are
 * multiplied by the samples' RMS radius, matrix entries by the RMS extent of their column's
 * coordinate, translations are in mm.
 */
interface MapParameters {
    int size();

    /** {@code M} (row-major 3×3) of the scaled parameters. */
    double[] matrix(double[] u);

    /** {@code b} (template point of the head centre, LPS mm) of the scaled parameters. */
    double[] offset(double[] u);

    /** {@code dV/du} from {@code dV/dM} (row-major) and {@code dV/db} packed as 12 numbers. */
    double[] chain(double[] u, double[] gradient12);

    /** Rigid: Euler angles {@code Rz·Ry·Rx} (the study's decomposition, LPS axes) and a translation. */
    record Rigid(double radiusMm) implements MapParameters {
        private static final double H = 1e-6;

        static double[] of(double[] angles, double[] b, double radiusMm) {
            return new double[] {angles[0] * radiusMm, angles[1] * radiusMm, angles[2] * radiusMm, b[0], b[1], b[2]};
        }

        @Override
        public int size() {
            return 6;
        }

        double[] angles(double[] u) {
            return new double[] {u[0] / radiusMm, u[1] / radiusMm, u[2] / radiusMm};
        }

        @Override
        public double[] matrix(double[] u) {
            double[] a = angles(u);
            return new EulerAngles(a[0], a[1], a[2]).toMatrix();
        }

        @Override
        public double[] offset(double[] u) {
            return new double[] {u[3], u[4], u[5]};
        }

        @Override
        public double[] chain(double[] u, double[] g) {
            double[] a = angles(u);
            double[] out = new double[6];
            for (int p = 0; p < 3; p++) {
                double[] hi = a.clone();
                double[] lo = a.clone();
                hi[p] += H;
                lo[p] -= H;
                double[] mh = new EulerAngles(hi[0], hi[1], hi[2]).toMatrix();
                double[] ml = new EulerAngles(lo[0], lo[1], lo[2]).toMatrix();
                double d = 0;
                for (int i = 0; i < 9; i++) {
                    d += g[i] * (mh[i] - ml[i]) / (2 * H);
                }
                out[p] = d / radiusMm;
            }
            out[3] = g[9];
            out[4] = g[10];
            out[5] = g[11];
            return out;
        }
    }

    /** Affine: the nine entries of {@code M} (column {@code c} scaled by {@code columnScaleMm[c]}) and {@code b}. */
    record Affine(double[] columnScaleMm) implements MapParameters {

        static double[] of(double[] m, double[] b, double[] columnScaleMm) {
            double[] u = new double[12];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    u[r * 3 + c] = m[r * 3 + c] * columnScaleMm[c];
                }
            }
            System.arraycopy(b, 0, u, 9, 3);
            return u;
        }

        @Override
        public int size() {
            return 12;
        }

        @Override
        public double[] matrix(double[] u) {
            double[] m = new double[9];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r * 3 + c] = u[r * 3 + c] / columnScaleMm[c];
                }
            }
            return m;
        }

        @Override
        public double[] offset(double[] u) {
            return new double[] {u[9], u[10], u[11]};
        }

        @Override
        public double[] chain(double[] u, double[] g) {
            double[] out = new double[12];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    out[r * 3 + c] = g[r * 3 + c] / columnScaleMm[c];
                }
            }
            System.arraycopy(g, 9, out, 9, 3);
            return out;
        }
    }
}
