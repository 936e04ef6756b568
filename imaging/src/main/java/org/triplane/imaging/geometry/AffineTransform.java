package org.triplane.imaging.geometry;

import java.util.Arrays;

/**
 * A 3-D affine map of physical points (LPS, mm) in ITK's {@code MatrixOffsetTransformBase} form:
 * {@code T(p) = M·(p − c) + c + t}, evaluated as ITK evaluates it, {@code M·p + offset} with
 * {@code offset = t + c − M·c}.
 *
 * <p>In resampling, {@code T} maps an OUTPUT point to the INPUT point it samples
 * ({@code out(p) = in(T(p))}), which is what an ITK transform file holds.
 */
public final class AffineTransform {
    private final double[] matrix;
    private final double[] center;
    private final double[] translation;
    private final double[] offset;

    /**
     * @param matrix      3×3 row-major
     * @param center      centre of rotation c (ITK FixedParameters), LPS mm
     * @param translation t, mm
     */
    public AffineTransform(double[] matrix, double[] center, double[] translation) {
        if (matrix.length != 9 || center.length != 3 || translation.length != 3) {
            throw new IllegalArgumentException("an affine transform needs a 3×3 matrix, a centre and a translation");
        }
        this.matrix = matrix.clone();
        this.center = center.clone();
        this.translation = translation.clone();
        this.offset = new double[3];
        for (int i = 0; i < 3; i++) {
            double mc = 0;
            for (int j = 0; j < 3; j++) {
                mc += matrix[i * 3 + j] * center[j];
            }
            offset[i] = translation[i] + center[i] - mc;
        }
    }

    public static AffineTransform identity() {
        return new AffineTransform(Matrix3.identity(), new double[3], new double[3]);
    }

    public double[] matrix() {
        return matrix.clone();
    }

    public double[] center() {
        return center.clone();
    }

    public double[] translation() {
        return translation.clone();
    }

    /** {@code t + c − M·c}: the constant part of {@code M·p + offset}. */
    public double[] offset() {
        return offset.clone();
    }

    /** {@code M·p + offset}, in ITK's order of operations. */
    public double[] apply(double[] p) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = matrix[i * 3] * p[0] + matrix[i * 3 + 1] * p[1] + matrix[i * 3 + 2] * p[2] + offset[i];
        }
        return out;
    }

    /**
     * The inverse, as ITK forms it: matrix {@code M⁻¹}, same centre, offset {@code −M⁻¹·offset}.
     *
     * @throws IllegalArgumentException when {@code M} is singular
     */
    public AffineTransform inverse() {
        double[] inv = Matrix3.inverse(matrix);
        double[] invOffset = Matrix3.apply(inv, offset);
        double[] invMc = Matrix3.apply(inv, center);
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            // offset' = t' + c − M⁻¹c  ⇒  t' = offset' − c + M⁻¹c
            t[i] = -invOffset[i] - center[i] + invMc[i];
        }
        return new AffineTransform(inv, center, t);
    }

    /** {@code this ∘ other}: applies {@code other} first. */
    public AffineTransform compose(AffineTransform other) {
        double[] m = Matrix3.multiply(matrix, other.matrix);
        double[] o = Matrix3.apply(matrix, other.offset);
        for (int i = 0; i < 3; i++) {
            o[i] += offset[i];
        }
        return new AffineTransform(m, new double[3], o);
    }

    /** Largest deviation of {@code M·Mᵀ} from the identity; about 1e-15 for a rotation. */
    public double orthonormalityError() {
        return Matrix3.orthonormalityError(matrix);
    }

    /** True when {@code M} is a proper rotation within {@code tolerance} (no scaling, shear or mirroring). */
    public boolean isRotation(double tolerance) {
        return orthonormalityError() <= tolerance && Matrix3.determinant(matrix) > 0;
    }

    @Override
    public String toString() {
        return "AffineTransform[matrix " + Arrays.toString(matrix) + ", centre " + Arrays.toString(center)
                + ", translation " + Arrays.toString(translation) + "]";
    }
}
