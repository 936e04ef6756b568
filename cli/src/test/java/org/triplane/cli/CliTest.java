package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/** The command-line contract: output formats, exit codes and one-line errors. */
class CliTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();
    private Path ct;
    private Path transform;

    @BeforeEach
    void setUp() throws IOException {
        Geometry g = new Geometry(21, 17, 9, new double[] {1.2, 1.1, 2.5}, new double[] {-12, 30, -8},
                new EulerAngles(0.05, 0, 0.1).toMatrix());
        Volume v = Volume.allocate(g, DataType.INT16);
        for (int i = 0; i < v.voxels().length(); i++) {
            v.voxels().set(i, (i * 37) % 400 - 150);
        }
        ct = dir.resolve("1.nii.gz");
        NiftiWriter.write(v, ct);
        transform = dir.resolve("1.txt");
        ItkTransformFile.write(new AffineTransform(new EulerAngles(0.1, -0.05, 0.08).toMatrix(), g.centre(), new double[] {1, -2, 0.5}), transform);
    }

    private String stdout() {
        return streams.out();
    }

    private String stderr() {
        return streams.err();
    }

    @Test
    void versionIsTheBuilds() {
        assertEquals(0, Main.run("--version"));
        assertEquals("triplane " + System.getProperty("triplane.version"), stdout().strip());
    }

    @Test
    void infoPrintsOneJsonObjectWithTheContractFields() {
        assertEquals(0, Main.run("info", ct.toString()));
        String json = stdout().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), json);
        assertTrue(json.contains("\"dims\":[21,17,9]"), json);
        for (String key : new String[] {"\"spacing\":[", "\"origin\":[", "\"direction\":[", "\"datatype\":\"int16\""}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void rotateWritesFloatForLinearAndTheInputTypeForNearest() throws IOException {
        Path lin = dir.resolve("lin.nii.gz");
        assertEquals(0, Main.run("rotate", "--transform", transform.toString(), "--default", "-1024", ct.toString(), lin.toString()));
        Volume got = NiftiReader.read(lin);
        assertEquals(DataType.FLOAT32, got.type());
        Volume expected = new Resampler(1).resample(NiftiReader.read(ct), ItkTransformFile.read(transform),
                Interpolation.LINEAR, -1024, DataType.FLOAT32);
        for (int i = 0; i < got.voxels().length(); i++) {
            assertEquals(expected.voxels().get(i), got.voxels().get(i), 0);
        }
        Path nn = dir.resolve("nn.nii");
        assertEquals(0, Main.run("rotate", "--transform", transform.toString(), "--nearest", "--inverse", ct.toString(), nn.toString()));
        assertEquals(DataType.INT16, NiftiReader.read(nn).type());
    }

    @Test
    void windowWritesOneBytePerVoxel() throws IOException {
        Path w = dir.resolve("w.nii.gz");
        assertEquals(0, Main.run("window", "--transform", transform.toString(), ct.toString(), w.toString()));
        Volume bytes = NiftiReader.read(w);
        assertEquals(DataType.UINT8, bytes.type());
        Volume floats = new Resampler(1).resample(NiftiReader.read(ct), ItkTransformFile.read(transform),
                Interpolation.LINEAR, Window.AIR_HU, DataType.FLOAT32);
        for (int i = 0; i < floats.voxels().length(); i++) {
            assertEquals(Window.STUDY.toByte(floats.voxels().get(i)), (int) bytes.voxels().get(i));
        }
    }

    @Test
    void planesWritesThreeStacks() {
        Path w = dir.resolve("w.nii.gz");
        assertEquals(0, Main.run("window", ct.toString(), w.toString()));
        assertEquals(0, Main.run("planes", "--depth", "3", w.toString(), dir.resolve("planes").toString()));
        for (String p : new String[] {"axial", "coronal", "sagittal"}) {
            assertTrue(Files.exists(dir.resolve("planes").resolve(p + ".nii.gz")), p);
        }
    }

    @Test
    void registerWritesLabelsOnTheScanGridTransformsAndAReport() throws IOException {
        Path scans = dir.resolve("phantom");
        assertEquals(0, Main.run("phantom", "--out", scans.toString(), "--count", "1", "--seed", "4242",
                "--size", "112", "112", "36", "--spacing", "2", "2", "4.4"));
        Path outDir = dir.resolve("reg");
        streams.resetOut();
        assertEquals(0, Main.run("register", "--threads", "2", scans.resolve("1.nii.gz").toString(), outDir.toString()));
        Volume scan = NiftiReader.read(scans.resolve("1.nii.gz"));
        Volume labels = NiftiReader.read(outDir.resolve("atlas-labels.nii.gz"));
        assertEquals(DataType.UINT8, labels.type());
        assertTrue(labels.geometry().sameGrid(scan.geometry(), 1e-4), labels.geometry().toString());
        for (String f : new String[] {"atlas-to-scan.txt", "scan-to-atlas.txt", "standard-orientation.txt"}) {
            AffineTransform t = ItkTransformFile.read(outDir.resolve(f));
            assertTrue(Files.readString(outDir.resolve(f)).contains("MatrixOffsetTransformBase_double_3_3"), f);
            assertEquals(f.equals("standard-orientation.txt"), t.isRotation(1e-9), f);
        }
        String json = Files.readString(outDir.resolve("registration.json")).strip();
        assertEquals(stdout().strip(), json);
        for (String key : new String[] {"\"quality\":0.9", "\"stages\":[", "\"registrationSeconds\":", "\"atlas-to-scan.txt\":{"}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void phantomTakesScannerVarietyOptionsAndRefusesContradictions() throws IOException {
        Path scans = dir.resolve("variety");
        assertEquals(0, Main.run("phantom", "--out", scans.toString(), "--seed", "17", "--fov", "200", "200", "120",
                "--spacing", "2.5", "2.5", "5", "--head-offset", "20", "-10", "--vertex-cut", "25", "--tilt", "15",
                "--hu-offset", "10", "--noise", "8", "12"));
        Volume ct = NiftiReader.read(scans.resolve("1.nii.gz"));
        assertEquals(80, ct.geometry().nx());
        assertEquals(24, ct.geometry().nz());
        assertArrayEquals(new double[] {2.5, 2.5, 5}, ct.geometry().spacing(), 1e-6);
        assertTrue(ItkTransformFile.read(scans.resolve("1.txt")).isRotation(1e-9), "the pose file stays a rotation");
        String json = stdout();
        assertTrue(json.contains("\"tiltDegrees\":15.0") && json.contains("\"vertexCutMm\":25.0"), json);

        streams.resetOut();
        streams.resetErr();
        assertEquals(1, Main.run("phantom", "--out", scans.toString(), "--vertex-cut", "10", "--base-cut", "10"));
        String e = stderr().strip();
        assertFalse(e.contains("\n"), e);
        assertTrue(e.contains("--vertex-cut and --base-cut"), e);
    }

    @Test
    void registerRefusesAVolumeThatIsNotAHeadCtNamingItAndTheQuality() throws IOException {
        Geometry g = new Geometry(64, 64, 30, new double[] {3, 3, 4}, new double[] {-95, -95, -60}, new EulerAngles(0, 0, 0).toMatrix());
        Volume v = Volume.allocate(g, DataType.INT16);
        v.voxels().fill(40);
        Path uniform = dir.resolve("uniform.nii.gz");
        NiftiWriter.write(v, uniform);
        Path outDir = dir.resolve("reg");
        assertEquals(1, Main.run("register", uniform.toString(), outDir.toString()));
        String e = stderr().strip();
        assertFalse(e.contains("\n"), e);
        assertTrue(e.startsWith("triplane: registration of " + uniform + " refused: quality"), e);
        assertFalse(Files.exists(outDir.resolve("atlas-labels.nii.gz")), "no output is left behind");
    }

    @Test
    void badInputFailsWithOneLineNamingTheFile() throws IOException {
        Path bad = dir.resolve("bad.nii.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        assertEquals(1, Main.run("info", bad.toString()));
        String e = stderr().strip();
        assertFalse(e.contains("\n"), e);
        assertTrue(e.startsWith("triplane: " + bad), e);

        streams.resetErr();
        Path badTx = dir.resolve("bad.txt");
        Files.writeString(badTx, "#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\nParameters: 1 2 3\n");
        Path out2 = dir.resolve("o.nii");
        assertEquals(1, Main.run("rotate", "--transform", badTx.toString(), ct.toString(), out2.toString()));
        assertTrue(stderr().contains(badTx + ": AffineTransform_double_3_3 needs 12 parameters, found 3"), stderr());
        assertFalse(Files.exists(out2), "no output is left behind");
    }

    @Test
    void demoRunsEndToEndAndTheRotatedScansLineUpWithTheirLabels() throws IOException {
        Path demo = dir.resolve("demo");
        assertEquals(0, Main.run("demo", "--out", demo.toString(), "--count", "2", "--size", "64", "64", "32", "--threads", "2", "--no-stack"));
        String summary = Files.readString(demo.resolve("summary.json"));
        for (int n = 1; n <= 2; n++) {
            assertTrue(Files.exists(demo.resolve(n + ".nii.gz")) && Files.exists(demo.resolve(n + "-seg.nii.gz")));
            assertTrue(Files.exists(demo.resolve("preprocessed").resolve(n + "-windowed.nii.gz")));
        }
        // rotating through N.txt must fit the atlas's regional HU better than the scan as acquired
        String[] rotated = summary.split("\"regionalHuMisfitRotated\":");
        String[] acquired = summary.split("\"regionalHuMisfitAsAcquired\":");
        assertEquals(3, rotated.length, summary);
        for (int i = 1; i < rotated.length; i++) {
            double r = Double.parseDouble(rotated[i].substring(0, rotated[i].indexOf(',')));
            double a = Double.parseDouble(acquired[i].substring(0, acquired[i].indexOf(',')));
            assertTrue(r < a, "rotated misfit " + r + " should beat as-acquired " + a);
        }
        assertTrue(stdout().contains("M5"), stdout());
    }

    @Test
    void rotateWithoutATransformDerivesItByRegistrationAndWritesItBesideTheOutput() throws IOException {
        org.triplane.imaging.phantom.PhantomSubject head = new org.triplane.imaging.phantom.PhantomGenerator(
                org.triplane.imaging.phantom.PhantomSpec.of(48, 48, 24, new double[] {4.8, 4.8, 5.7}, 7), 2).generate(1);
        Path scan = dir.resolve("head.nii.gz");
        NiftiWriter.write(head.ct(), scan);
        Path rotated = dir.resolve("head-rotated.nii.gz");

        assertEquals(0, Main.run("rotate", "--default", "-1024", "--threads", "2", scan.toString(), rotated.toString()));

        Path derived = dir.resolve("head-rotated.txt");
        String json = stdout();
        assertTrue(json.contains("\"transformOrigin\":\"derived\"") && json.contains(derived.toString())
                && json.contains("\"registrationQuality\":"), json);
        AffineTransform t = ItkTransformFile.read(derived);
        assertTrue(t.isRotation(1e-6), t.toString());
        double errorDeg = Math.toDegrees(org.triplane.imaging.geometry.PolarDecomposition.angleBetween(
                head.pose().matrix(), t.matrix()));
        assertTrue(errorDeg < 1.5, "derived rotation " + errorDeg + "° from the phantom's pose");
        Volume expected = new Resampler(1).resample(NiftiReader.read(scan), t, Interpolation.LINEAR, -1024, DataType.FLOAT32);
        Volume got = NiftiReader.read(rotated);
        for (int i = 0; i < got.voxels().length(); i++) {
            assertEquals(expected.voxels().get(i), got.voxels().get(i), 0);
        }
    }

    @Test
    void rotateWithoutATransformRefusesAVolumeThatIsNotAHeadNamingItAndTheQuality() throws IOException {
        Path uniformOut = dir.resolve("u.nii.gz");
        Volume uniform = Volume.allocate(new Geometry(48, 48, 24, new double[] {4.8, 4.8, 5.7}, new double[3],
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}), DataType.INT16);
        for (int i = 0; i < uniform.voxels().length(); i++) {
            uniform.voxels().set(i, 40);
        }
        Path file = dir.resolve("uniform.nii.gz");
        NiftiWriter.write(uniform, file);

        assertEquals(1, Main.run("rotate", file.toString(), uniformOut.toString()));

        String e = stderr().strip();
        assertFalse(e.contains("\n"), e);
        assertTrue(e.contains(file.toString()) && e.contains("quality (NCC)") && e.contains("--transform"), e);
        assertFalse(Files.exists(uniformOut) || Files.exists(dir.resolve("u.txt")), "no output is left behind");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, Main.run("rotate", ct.toString()));
        assertTrue(stderr().contains("--transform"), stderr());
    }

    @Test
    void geometryInInfoIsItkLps() {
        assertEquals(0, Main.run("info", ct.toString()));
        String json = stdout();
        int at = json.indexOf("\"origin\":[") + 10;
        String[] origin = json.substring(at, json.indexOf(']', at)).split(",");
        assertArrayEquals(new double[] {-12, 30, -8},
                new double[] {Double.parseDouble(origin[0]), Double.parseDouble(origin[1]), Double.parseDouble(origin[2])}, 1e-4);
    }
}
