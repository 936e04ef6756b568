package org.triplane.imaging.nifti;

import org.triplane.imaging.geometry.Matrix3;

/** NIfTI's quaternion encoding of an orthonormal direction matrix (niftilib {@code nifti_mat44_to_quatern}). */
final class Quaternion {
    private Quaternion() {
    }

    /**
     * @param r orthonormal 3×3 matrix, row-major, RAS
     * @return {a, b, c, d, qfac}
     */
    static double[] fromRotation(double[] r) {
        double[] m = r.clone();
        double qfac = 1;
        if (Matrix3.determinant(m) < 0) {
            qfac = -1;
            m[2] = -m[2];
            m[5] = -m[5];
            m[8] = -m[8];
        }
        double r11 = m[0], r12 = m[1], r13 = m[2];
        double r21 = m[3], r22 = m[4], r23 = m[5];
        double r31 = m[6], r32 = m[7], r33 = m[8];
        double a = r11 + r22 + r33 + 1.0;
        double b;
        double c;
        double d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        } else {
            double xd = 1.0 + r11 - (r22 + r33);
            double yd = 1.0 + r22 - (r11 + r33);
            double zd = 1.0 + r33 - (r11 + r22);
            if (xd > 1.0) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            } else if (yd > 1.0) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
                a = -a;
            }
        }
        return new double[] {a, b, c, d, qfac};
    }
}
