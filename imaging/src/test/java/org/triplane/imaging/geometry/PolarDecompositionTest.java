package org.triplane.imaging.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PolarDecompositionTest {

    @Test
    void recoversTheRotationAndStretchAMatrixWasBuiltFrom() {
        double[] r = new EulerAngles(Math.toRadians(12), Math.toRadians(-7), Math.toRadians(25)).toMatrix();
        // a symmetric positive stretch with principal axes along another rotation
        double[] q = new EulerAngles(Math.toRadians(30), Math.toRadians(10), Math.toRadians(-40)).toMatrix();
        double[] d = {1.2, 0, 0, 0, 0.9, 0, 0, 0, 0.75};
        double[] p = Matrix3.multiply(q, Matrix3.multiply(d, Matrix3.transpose(q)));
        PolarDecomposition pd = PolarDecomposition.of(Matrix3.multiply(r, p));
        assertArrayEquals(r, pd.rotation(), 1e-12);
        assertArrayEquals(p, pd.stretch(), 1e-12);
    }

    @Test
    void aScaleAfterTheInverseRotationGivesBackTheInverseRotation() {
        // the registration's case: scan → atlas linear part S⁻¹·R⁻¹ with S diagonal
        double[] r = new EulerAngles(Math.toRadians(-9), Math.toRadians(14), Math.toRadians(6)).toMatrix();
        double[] sInv = {1 / 1.07, 0, 0, 0, 1 / 0.95, 0, 0, 0, 1 / 1.02};
        PolarDecomposition pd = PolarDecomposition.of(Matrix3.multiply(sInv, Matrix3.transpose(r)));
        assertArrayEquals(Matrix3.transpose(r), pd.rotation(), 1e-12);
    }

    @Test
    void angleBetweenRotations() {
        double[] a = Matrix3.rotationZ(Math.toRadians(10));
        double[] b = Matrix3.rotationZ(Math.toRadians(-25));
        assertEquals(Math.toRadians(35), PolarDecomposition.angleBetween(a, b), 1e-12);
        assertEquals(0, PolarDecomposition.angleBetween(a, a), 1e-7);
    }

    @Test
    void refusesAMirror() {
        assertThrows(IllegalArgumentException.class, () -> PolarDecomposition.of(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1}));
    }
}
