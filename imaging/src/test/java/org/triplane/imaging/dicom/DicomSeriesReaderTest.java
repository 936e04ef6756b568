package org.triplane.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.nifti.VolumeTooLargeException;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/** A synthetic CT written as DICOM series of every kind, read back or refused. */
class DicomSeriesReaderTest {
    /** A synthetic head on a 48×40×16 grid of 4 × 4.5 × 2.5 mm. */
    static Volume head;
    /** The same voxels on an oblique axial grid (12° about x, 5° about z, well inside the 30° tolerance). */
    static Volume obliqueHead;

    @TempDir
    Path tmp;

    @BeforeAll
    static void scans() {
        head = new PhantomGenerator(PhantomSpec.of(48, 40, 16, new double[] {4, 4.5, 2.5}, 3)).generate(1).ct();
        obliqueHead = reoriented(head, new EulerAngles(Math.toRadians(12), 0, Math.toRadians(5)).toMatrix());
    }

    static Volume reoriented(Volume v, double[] direction) {
        Geometry g = v.geometry();
        return new Volume(new Geometry(g.nx(), g.ny(), g.nz(), g.spacing(), g.origin(), direction), v.voxels());
    }

    static void assertSameVolume(Volume expected, Volume actual) {
        assertTrue(expected.geometry().sameGrid(actual.geometry(), 1e-5),
                () -> "expected " + expected.geometry() + ", read " + actual.geometry());
        for (int i = 0; i < expected.voxels().length(); i++) {
            assertEquals(expected.voxels().get(i), actual.voxels().get(i), 0, "voxel " + i);
        }
    }

    @Test
    void readsAnObliqueAxialSeriesInHuWithItsGridWhateverTheFileNamesAndInstanceNumbers() throws IOException {
        DicomSeriesWriter w = new DicomSeriesWriter();
        Path dir = tmp.resolve("series");
        w.writeFolder(obliqueHead, dir);
        DicomSeries s = DicomSeriesReader.read(dir);
        assertEquals(DataType.INT16, s.volume().type());
        assertSameVolume(obliqueHead, s.volume());
        assertEquals(SliceParser.sha256(w.seriesUid), s.seriesSha256());
        assertEquals(SliceParser.sha256(w.studyUid), s.studySha256());
    }

    @Test
    void readsImplicitVrFilesWithoutMetaGroupLengthAndZipsAndAFloatRescale() throws IOException {
        DicomSeriesWriter implicit = new DicomSeriesWriter();
        implicit.transferSyntax = DicomSeriesWriter.IMPLICIT_LE;
        implicit.metaGroupLength = false;
        implicit.writeFolder(head, tmp.resolve("implicit"));
        assertSameVolume(head, DicomSeriesReader.read(tmp.resolve("implicit")).volume());

        Path zip = new DicomSeriesWriter().writeZip(obliqueHead, tmp.resolve("series.zip"));
        assertSameVolume(obliqueHead, DicomSeriesReader.read(zip).volume());

        DicomSeriesWriter scaled = new DicomSeriesWriter();
        scaled.slope = 0.5;
        scaled.intercept = -1024;
        scaled.writeFolder(head, tmp.resolve("scaled"));
        Volume read = DicomSeriesReader.read(tmp.resolve("scaled")).volume();
        assertEquals(DataType.FLOAT32, read.type());
        // stored = round((HU + 1024) / 0.5): every integer HU comes back exactly
        assertSameVolume(head, read);
    }

    @Test
    void zipEntriesAndFilesBeyondTheSeriesAreNamedInTheRefusal() throws IOException {
        Path dir = tmp.resolve("with-notes");
        new DicomSeriesWriter().writeFolder(head, dir);
        Files.writeString(dir.resolve("notes.txt"), "not a slice");
        Files.writeString(dir.resolve(".DS_Store"), "hidden: passed over");
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DicomSeriesReader.read(dir));
        assertEquals(dir, e.file());
        assertTrue(e.getMessage().contains("notes.txt: not a DICOM file"), e.getMessage());
    }

    @Test
    void aTruncatedSliceIsNamedWithHowMuchOfItsPixelDataIsThere() throws IOException {
        Path dir = tmp.resolve("truncated");
        List<Path> files = new DicomSeriesWriter().writeFolder(head, dir);
        Path cut = files.get(3);
        byte[] b = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 100));
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DicomSeriesReader.read(dir));
        assertEquals(dir + ": " + cut.getFileName() + ": the pixel data ends after 3740 of 3840 bytes", e.getMessage());
    }

    private InvalidImageException refusal(DicomSeriesWriter w, Volume v) throws IOException {
        Path dir = tmp.resolve("refused");
        w.writeFolder(v, dir);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DicomSeriesReader.read(dir));
        assertEquals(dir, e.file());
        assertTrue(e.getMessage().startsWith(dir + ": "), e.getMessage());
        return e;
    }

    @Test
    void refusesAnotherModality() throws IOException {
        DicomSeriesWriter w = new DicomSeriesWriter();
        w.modality = "MR";
        String m = refusal(w, head).getMessage();
        assertTrue(m.matches(".*IM\\d{5}: modality MR, not CT.*"), m);
    }

    @Test
    void refusesALocalizer() throws IOException {
        DicomSeriesWriter w = new DicomSeriesWriter();
        w.imageType = "ORIGINAL\\PRIMARY\\LOCALIZER";
        String m = refusal(w, head).getMessage();
        assertTrue(m.matches(".*IM\\d{5}: a localizer \\(ImageType ORIGINAL\\\\PRIMARY\\\\LOCALIZER\\).*"), m);
    }

    @Test
    void refusesCoronalAndSagittalReconstructions() throws IOException {
        // coronal: rows along x, columns downwards (−z): the normal is +y (posterior)
        String m = refusal(new DicomSeriesWriter(), reoriented(head, new double[] {1, 0, 0, 0, 0, 1, 0, -1, 0})).getMessage();
        assertTrue(m.contains("not an axial series: the slice normal is 90.0° from the head–foot axis (a coronal"), m);
        // oblique beyond the tolerance: 35° about x
        String o = refusal(new DicomSeriesWriter(), reoriented(head,
                new EulerAngles(Math.toRadians(35), 0, 0).toMatrix())).getMessage();
        assertTrue(o.contains("the slice normal is 35.0° from the head–foot axis"), o);
    }

    @Test
    void refusesAGantryTilt() throws IOException {
        DicomSeriesWriter w = new DicomSeriesWriter();
        w.tiltDegrees = 15;
        String m = refusal(w, head).getMessage();
        assertTrue(m.contains("gantry tilt: slice IM"), m);
        assertTrue(m.contains("(a shear of 15.0°; GantryDetectorTilt 15.0°); tilted series are refused"), m);
    }

    @Test
    void refusesAMissingSliceAndUnevenSpacing() throws IOException {
        DicomSeriesWriter missing = new DicomSeriesWriter();
        missing.dropped = Set.of(7);
        String m = refusal(missing, head).getMessage();
        assertTrue(m.contains("incomplete series: 1 slice missing between IM"), m);
        assertTrue(m.contains("(a step of 5.000 mm where the others are 2.500 mm)"), m);

        DicomSeriesWriter uneven = new DicomSeriesWriter();
        uneven.shifted.put(9, 0.8);
        String u = refusal(uneven, head).getMessage();
        assertTrue(u.contains("inconsistent slice spacing: 3.300 mm between IM"), u);
    }

    @Test
    void refusesTwoSeriesAndRepeatedPositions() throws IOException {
        DicomSeriesWriter mixed = new DicomSeriesWriter();
        mixed.seriesUidOf = k -> k == 5 ? "1.2.826.0.1.3680043.10.1453.1.2" : mixed.seriesUid;
        String m = refusal(mixed, head).getMessage();
        assertTrue(m.contains("more than one series: IM"), m);
        assertTrue(m.contains("differ in SeriesInstanceUID; give one series per folder or zip"), m);

        DicomSeriesWriter repeated = new DicomSeriesWriter();
        repeated.shifted.put(4, -2.5);
        String r = refusal(repeated, head).getMessage();
        assertTrue(r.contains("two slices at one position (IM"), r);
    }

    @Test
    void refusesCompressedAndBigEndianTransferSyntaxesByName() throws IOException {
        DicomSeriesWriter jpeg = new DicomSeriesWriter();
        jpeg.transferSyntax = "1.2.840.10008.1.2.4.90";
        String m = refusal(jpeg, head).getMessage();
        assertTrue(m.matches(".*IM\\d{5}: transfer syntax JPEG 2000 Lossless \\(1\\.2\\.840\\.10008\\.1\\.2\\.4\\.90\\) is not read.*"), m);

        DicomSeriesWriter big = new DicomSeriesWriter();
        big.transferSyntax = "1.2.840.10008.1.2.2";
        assertTrue(refusal(big, head).getMessage().contains("transfer syntax Explicit VR Big Endian (1.2.840.10008.1.2.2)"));
    }

    @Test
    void checksTheLimitsBeforeAllocating() throws IOException {
        Path dir = tmp.resolve("large");
        new DicomSeriesWriter().writeFolder(head, dir);
        long voxels = head.geometry().voxelCount();
        VolumeTooLargeException e = assertThrows(VolumeTooLargeException.class,
                () -> DicomSeriesReader.read(dir, new VolumeLimits(voxels - 1, Long.MAX_VALUE, 1)));
        assertTrue(e.getMessage().contains("48×40×16 is 30,720 voxels, above the limit of 30,719 voxels"), e.getMessage());
        assertThrows(VolumeTooLargeException.class, () -> DicomSeriesReader.read(dir, new VolumeLimits(voxels, voxels * 2 - 1, 1)));
        assertEquals(voxels, DicomSeriesReader.read(dir, new VolumeLimits(voxels, voxels * 2, 1)).volume().geometry().voxelCount());
    }

    @Test
    void recognisesSeriesFoldersAndZips() throws IOException {
        Path dir = tmp.resolve("s");
        new DicomSeriesWriter().writeFolder(head, dir);
        assertTrue(DicomSeriesReader.looksLikeSeries(dir));
        assertTrue(DicomSeriesReader.looksLikeSeries(new DicomSeriesWriter().writeZip(head, tmp.resolve("s.zip"))));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("1.txt"), "x");
        assertEquals(List.of(false, false), List.of(DicomSeriesReader.looksLikeSeries(other),
                DicomSeriesReader.looksLikeSeries(other.resolve("1.txt"))));
        assertNotEquals(SliceParser.sha256("1.2.3"), SliceParser.sha256("1.2.4"));
        assertArrayEquals(head.geometry().dims(), DicomSeriesReader.read(dir).volume().geometry().dims());
    }
}
