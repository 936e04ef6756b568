package org.triplane.imaging.nifti;

import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.volume.Geometry;

/**
 * Converts a NIfTI-1 header's orientation to ITK's origin, spacing and direction (LPS), following
 * ITK 5.2's {@code NiftiImageIO} step by step, including its single-precision {@code mat44}.
 *
 * <p>Rules: spacing is {@code pixdim[1..3]}; the orientation comes from the sform when ITK would
 * prefer it (qform and sform equal, or the sform is free of skew and either the qform is unset,
 * the sform is {@code SCANNER_ANAT}, or both describe the same grid), else from the qform
 * (quaternion with {@code qfac = sign(pixdim[0])}); with neither set, origin 0 and identity
 * direction. RAS becomes LPS by negating the first two rows; direction columns are normalised.
 */
final class ItkNiftiGeometry {
    private ItkNiftiGeometry() {
    }

    /** Which header part supplied the orientation. */
    enum Source { SFORM, QFORM, PIXDIM }

    record Resolved(Geometry geometry, Source source) {
    }

    static Resolved resolve(NiftiHeader h, int nx, int ny, int nz) {
        double[] spacing = {h.pixdim[1], h.pixdim[2], h.pixdim[3]};
        for (int i = 0; i < 3; i++) {
            if (!(spacing[i] > 0) || !Double.isFinite(spacing[i])) {
                throw new IllegalArgumentException("pixdim[" + (i + 1) + "] is " + spacing[i] + ": voxel spacing must be a positive number");
            }
        }
        boolean qSet = h.qformCode > 0;
        boolean sSet = h.sformCode > 0;
        if (!qSet && !sSet) {
            return new Resolved(new Geometry(nx, ny, nz, spacing, new double[3], Matrix3.identity()), Source.PIXDIM);
        }
        float[][] qto = qSet ? quaternToMat44(h) : pixdimMat44(h);
        float[][] sto = sSet ? srowMat44(h) : new float[4][4];
        boolean preferSform = similar(sto, qto);
        if (!preferSform || sSet) {
            if (decomposableWithoutSkew(sto)) {
                if (!qSet && sSet) {
                    preferSform = true;
                } else if (h.sformCode == NiftiHeader.XFORM_SCANNER_ANAT) {
                    preferSform = true;
                } else if (qSet && sSet) {
                    preferSform = verySimilar(sto, qto);
                }
            }
        }
        float[][] m;
        Source source;
        if (preferSform) {
            m = sto;
            source = Source.SFORM;
        } else if (qSet) {
            m = qto;
            source = Source.QFORM;
        } else {
            throw new IllegalArgumentException("sform has skew or is singular and no qform is set: no orthonormal orientation");
        }
        double[] origin = {-(double) m[0][3], -(double) m[1][3], m[2][3]};
        double[] direction = new double[9];
        for (int c = 0; c < 3; c++) {
            double[] col = {-(double) m[0][c], -(double) m[1][c], m[2][c]};
            double norm = Math.sqrt(col[0] * col[0] + col[1] * col[1] + col[2] * col[2]);
            if (norm == 0) {
                throw new IllegalArgumentException("orientation matrix column " + c + " is zero");
            }
            for (int r = 0; r < 3; r++) {
                direction[r * 3 + c] = col[r] / norm;
            }
        }
        return new Resolved(new Geometry(nx, ny, nz, spacing, origin, direction), source);
    }

    private static float fixed(float v) {
        // why: niftilib's FIXED_FLOAT replaces non-finite header numbers with 0
        return Float.isFinite(v) ? v : 0f;
    }

    /** niftilib's {@code nifti_quatern_to_mat44}: computed in double, stored in float. */
    static float[][] quaternToMat44(NiftiHeader h) {
        double b = fixed(h.quaternB);
        double c = fixed(h.quaternC);
        double d = fixed(h.quaternD);
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1.e-7) {
            a = 1.0 / Math.sqrt(b * b + c * c + d * d);
            b *= a;
            c *= a;
            d *= a;
            a = 0.0;
        } else {
            a = Math.sqrt(a);
        }
        double dx = h.pixdim[1];
        double dy = h.pixdim[2];
        double dz = h.pixdim[3];
        double xd = dx > 0 ? dx : 1.0;
        double yd = dy > 0 ? dy : 1.0;
        double zd = dz > 0 ? dz : 1.0;
        if (h.pixdim[0] < 0) {
            zd = -zd;
        }
        float[][] r = new float[4][4];
        r[0][0] = (float) ((a * a + b * b - c * c - d * d) * xd);
        r[0][1] = (float) (2.0 * (b * c - a * d) * yd);
        r[0][2] = (float) (2.0 * (b * d + a * c) * zd);
        r[1][0] = (float) (2.0 * (b * c + a * d) * xd);
        r[1][1] = (float) ((a * a + c * c - b * b - d * d) * yd);
        r[1][2] = (float) (2.0 * (c * d - a * b) * zd);
        r[2][0] = (float) (2.0 * (b * d - a * c) * xd);
        r[2][1] = (float) (2.0 * (c * d + a * b) * yd);
        r[2][2] = (float) ((a * a + d * d - c * c - b * b) * zd);
        r[0][3] = fixed(h.qoffsetX);
        r[1][3] = fixed(h.qoffsetY);
        r[2][3] = fixed(h.qoffsetZ);
        r[3][3] = 1f;
        return r;
    }

    private static float[][] pixdimMat44(NiftiHeader h) {
        float[][] r = new float[4][4];
        r[0][0] = h.pixdim[1];
        r[1][1] = h.pixdim[2];
        r[2][2] = h.pixdim[3];
        r[3][3] = 1f;
        return r;
    }

    private static float[][] srowMat44(NiftiHeader h) {
        float[][] r = new float[4][4];
        for (int c = 0; c < 4; c++) {
            r[0][c] = h.srowX[c];
            r[1][c] = h.srowY[c];
            r[2][c] = h.srowZ[c];
        }
        r[3][3] = 1f;
        return r;
    }

    /** ITK's first, cheap test: the two matrices agree element by element. */
    private static boolean similar(float[][] s, float[][] q) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (Math.abs(s[i][j] - q[i][j]) > 1e-5) {
                    return false;
                }
            }
        }
        double col = 0;
        double row = 0;
        for (int i = 0; i < 4; i++) {
            col += Math.abs(s[i][3] - q[i][3]);
            row += Math.abs(s[3][i] - q[3][i]);
        }
        return col <= 1e-7 && row <= 1e-7;
    }

    /** The sform's 3×3 is invertible and, once its columns are normalised, orthonormal within 1e-4. */
    private static boolean decomposableWithoutSkew(float[][] s) {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r * 3 + c] = s[r][c];
            }
        }
        double det = Matrix3.determinant(m);
        if (det == 0 || !Double.isFinite(det) || s[3][0] != 0 || s[3][1] != 0 || s[3][2] != 0 || s[3][3] != 1) {
            return false;
        }
        normaliseColumns(m);
        return Matrix3.orthonormalityError(m) <= 1e-4;
    }

    /** Same rotation, spacing and offset within 1e-4 (ITK compares SVD factors; equal for orthogonal inputs). */
    private static boolean verySimilar(float[][] s, float[][] q) {
        double[] ms = new double[9];
        double[] mq = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                ms[r * 3 + c] = s[r][c];
                mq[r * 3 + c] = q[r][c];
            }
        }
        double[] ns = normaliseColumns(ms);
        double[] nq = normaliseColumns(mq);
        for (int i = 0; i < 3; i++) {
            if (Math.abs(ns[i] - nq[i]) > 1e-4 || Math.abs(s[i][3] - q[i][3]) > 1e-4) {
                return false;
            }
        }
        for (int i = 0; i < 9; i++) {
            if (Math.abs(ms[i] - mq[i]) > 1e-4) {
                return false;
            }
        }
        return true;
    }

    /** Normalises the columns in place; returns their former lengths. */
    private static double[] normaliseColumns(double[] m) {
        double[] norms = new double[3];
        for (int c = 0; c < 3; c++) {
            double n = Math.sqrt(m[c] * m[c] + m[3 + c] * m[3 + c] + m[6 + c] * m[6 + c]);
            norms[c] = n;
            if (n != 0) {
                for (int r = 0; r < 3; r++) {
                    m[r * 3 + c] /= n;
                }
            }
        }
        return norms;
    }
}
