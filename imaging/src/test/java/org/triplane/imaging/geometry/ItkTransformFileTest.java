package org.triplane.imaging.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItkTransformFileTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static String study(String type, String params, String fixed) {
        return "#Insight Transform File V1.0\n#Transform 0\nTransform: " + type + "\nParameters: " + params
                + "\nFixedParameters: " + fixed + "\n";
    }

    @Test
    void studyFormatWithZeroCentreIsMatrixTimesPointPlusTranslation() throws IOException {
        // 90° about z: (x, y, z) -> (-y, x, z), then + (1, 2, 3)
        AffineTransform t = ItkTransformFile.read(file("a.txt",
                study("MatrixOffsetTransformBase_double_3_3", "0 -1 0 1 0 0 0 0 1 1 2 3", "0 0 0")));
        assertArrayEquals(new double[] {-20 + 1, 10 + 2, 5 + 3}, t.apply(new double[] {10, 20, 5}), 1e-12);
    }

    @Test
    void centreIsHonoured() throws IOException {
        // T(p) = M(p − c) + c + t: the centre maps to c + t
        AffineTransform t = ItkTransformFile.read(file("c.txt",
                study("AffineTransform_double_3_3", "0 -1 0 1 0 0 0 0 1 1 2 3", "10 -4 7")));
        assertArrayEquals(new double[] {11, -2, 10}, t.apply(new double[] {10, -4, 7}), 1e-12);
        // and a point one mm along x from the centre rotates to one mm along y
        assertArrayEquals(new double[] {11, -1, 10}, t.apply(new double[] {11, -4, 7}), 1e-12);
    }

    @Test
    void scientificNotationAndCrLf() throws IOException {
        AffineTransform t = ItkTransformFile.read(file("s.txt", study("MatrixOffsetTransformBase_double_3_3",
                "1e0 0.0E+00 0 0 1.000e+00 0 0 0 1 -2.5e-1 1.5E1 0", "0 0 0").replace("\n", "\r\n")));
        assertArrayEquals(new double[] {-0.25, 15, 0}, t.apply(new double[] {0, 0, 0}), 1e-15);
    }

    @Test
    void inverseUndoesTheTransform() throws IOException {
        double[] r = new EulerAngles(0.2, -0.1, 0.3).toMatrix();
        StringBuilder p = new StringBuilder();
        for (double v : r) {
            p.append(v).append(' ');
        }
        p.append("3 -2 4");
        AffineTransform t = ItkTransformFile.read(file("r.txt", study("AffineTransform_double_3_3", p.toString(), "12 -30 55")));
        double[] x = {1.5, -80, 33};
        assertArrayEquals(x, t.inverse().apply(t.apply(x)), 1e-12);
        assertArrayEquals(x, t.apply(t.inverse().apply(x)), 1e-12);
    }

    @Test
    void euler3dUsesItksDefaultOrderZxy() throws IOException {
        // 90° about x then 90° about z, ITK default R = Rz·Rx·Ry; on e_y: Ry e_y = e_y, Rx e_y = e_z, Rz e_z = e_z
        double h = Math.PI / 2;
        AffineTransform t = ItkTransformFile.read(file("e.txt",
                study("Euler3DTransform_double_3_3", h + " 0 " + h + " 0 0 0", "0 0 0")));
        assertArrayEquals(new double[] {0, 0, 1}, t.apply(new double[] {0, 1, 0}), 1e-12);
        // e_x: Ry e_x = e_x, Rx e_x = e_x, Rz e_x = e_y
        assertArrayEquals(new double[] {0, 1, 0}, t.apply(new double[] {1, 0, 0}), 1e-12);
    }

    @Test
    void severalTransformsComposeLastFirst() throws IOException {
        String text = "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
                + "Parameters: 2 0 0 0 2 0 0 0 2 0 0 0\nFixedParameters: 0 0 0\n"
                + "#Transform 1\nTransform: AffineTransform_double_3_3\n"
                + "Parameters: 1 0 0 0 1 0 0 0 1 1 0 0\nFixedParameters: 0 0 0\n";
        // translate by (1,0,0) first, then scale by 2
        assertArrayEquals(new double[] {4, 2, 2}, ItkTransformFile.read(file("two.txt", text)).apply(new double[] {1, 1, 1}), 1e-12);
    }

    @Test
    void writeThenReadGivesTheSameMap() throws IOException {
        AffineTransform t = new AffineTransform(new EulerAngles(0.1, 0.2, -0.3).toMatrix(), new double[] {5, 6, 7}, new double[] {-1, 2.5, 0.125});
        Path f = dir.resolve("w.txt");
        ItkTransformFile.write(t, f);
        AffineTransform back = ItkTransformFile.read(f);
        double[] x = {17, -3, 40};
        assertArrayEquals(t.apply(x), back.apply(x), 1e-12);
        assertTrue(Files.readString(f).startsWith("#Insight Transform File V1.0"));
    }

    @Test
    void eulerDecompositionRecoversStudyAngles() {
        double rx = Math.toRadians(10), ry = Math.toRadians(-6), rz = Math.toRadians(4);
        // Rz·Ry·Rx built by hand from elementary rotations
        double[] Rx = {1, 0, 0, 0, Math.cos(rx), -Math.sin(rx), 0, Math.sin(rx), Math.cos(rx)};
        double[] Ry = {Math.cos(ry), 0, Math.sin(ry), 0, 1, 0, -Math.sin(ry), 0, Math.cos(ry)};
        double[] Rz = {Math.cos(rz), -Math.sin(rz), 0, Math.sin(rz), Math.cos(rz), 0, 0, 0, 1};
        EulerAngles e = EulerAngles.of(Matrix3.multiply(Rz, Matrix3.multiply(Ry, Rx)));
        assertEquals(10, e.xDegrees(), 1e-9);
        assertEquals(-6, e.yDegrees(), 1e-9);
        assertEquals(4, e.zDegrees(), 1e-9);
    }

    private void assertRefused(String name, String text, String keyword) throws IOException {
        Path f = file(name, text);
        InvalidTransformException e = assertThrows(InvalidTransformException.class, () -> ItkTransformFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(keyword), e.getMessage() + " should mention " + keyword);
    }

    @Test
    void wrongParameterCount() throws IOException {
        assertRefused("n.txt", study("MatrixOffsetTransformBase_double_3_3", "1 0 0 0 1 0 0 0 1 0 0", "0 0 0"), "needs 12 parameters, found 11");
    }

    @Test
    void nanParameter() throws IOException {
        assertRefused("nan.txt", study("MatrixOffsetTransformBase_double_3_3", "1 0 0 0 nan 0 0 0 1 0 0 0", "0 0 0"), "finite");
    }

    @Test
    void unknownType() throws IOException {
        assertRefused("u.txt", study("BSplineTransform_double_3_3", "1 2 3", "0 0 0"), "unknown transform type");
    }

    @Test
    void notATransformFile() throws IOException {
        assertRefused("x.txt", "hello world\n", "not 'Key: value'");
        assertRefused("y.txt", "Transform: AffineTransform_double_3_3\nParameters: 1 0 0 0 1 0 0 0 1 0 0 0\n", "not an ITK transform file");
    }

    @Test
    void singularMatrix() throws IOException {
        assertRefused("z.txt", study("AffineTransform_double_3_3", "1 0 0 0 0 0 0 0 1 0 0 0", "0 0 0"), "singular");
    }

    @Test
    void missingFile() {
        InvalidTransformException e = assertThrows(InvalidTransformException.class, () -> ItkTransformFile.read(dir.resolve("none.txt")));
        assertTrue(e.getMessage().contains("no such file"));
    }

    @Test
    void rotationCheckSeparatesRotationsFromOtherAffines() {
        assertTrue(new AffineTransform(new EulerAngles(0.3, 0.2, 0.1).toMatrix(), new double[3], new double[3]).isRotation(1e-9));
        assertTrue(!new AffineTransform(new double[] {1.1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3], new double[3]).isRotation(1e-6));
        assertTrue(!new AffineTransform(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3], new double[3]).isRotation(1e-6));
    }
}
