package org.triplane.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.triplane.imaging.testing.NiftiBytes;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

class NiftiRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DataType.class)
    void everyDatatypeSurvivesWriteAndRead(DataType type) throws IOException {
        Geometry g = TestVolumes.oblique(7, 5, 4);
        Volume v = TestVolumes.random(g, type, 42);
        for (String name : new String[] {"v.nii", "v.nii.gz"}) {
            Path f = dir.resolve(type.label() + name);
            NiftiWriter.write(v, f);
            NiftiReader.Loaded back = NiftiReader.readWithHeader(f);
            assertEquals(type, back.volume().type());
            assertEquals(name.endsWith(".gz"), back.header().compressed());
            for (int i = 0; i < v.voxels().length(); i++) {
                assertEquals(v.voxels().get(i), back.volume().voxels().get(i), type == DataType.FLOAT32 ? 1e-3 : 0, "voxel " + i);
            }
            // geometry is stored as float32 in the header: equal to float precision
            assertTrue(g.sameGrid(back.volume().geometry(), 1e-5), () -> g + " vs " + back.volume().geometry());
        }
    }

    @Test
    void aGzipFileAsTheWriterWritesItIsInflatedOnceStraightIntoTheVolume() throws IOException {
        Path f = dir.resolve("once.nii.gz");
        Volume v = TestVolumes.random(TestVolumes.oblique(7, 6, 5), DataType.INT16, 3);
        NiftiWriter.write(v, f);
        // why: its trailer vouches for the header's promise, so no counting pass is needed
        assertTrue(NiftiReader.trailerVouches(NiftiReader.readHeader(f)));
        Volume back = NiftiReader.read(f);
        for (int i = 0; i < v.voxels().length(); i++) {
            assertEquals(v.voxels().get(i), back.voxels().get(i), "voxel " + i);
        }
        // bytes after the data (a second gzip member) leave the trailer without a say: counted first, as before
        Path two = dir.resolve("two-members.nii.gz");
        Files.write(two, concat(Files.readAllBytes(f), gzip(new byte[] {1, 2, 3})));
        assertTrue(!NiftiReader.trailerVouches(NiftiReader.readHeader(two)));
        Volume fromTwo = NiftiReader.read(two);
        assertEquals(v.voxels().get(17), fromTwo.voxels().get(17));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void writtenHeaderCarriesNoFreeTextAndNoExtension() throws IOException {
        Path f = dir.resolve("clean.nii");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(3, 3, 3), DataType.INT16, 1), f);
        byte[] b = Files.readAllBytes(f);
        assertZero(b, 4, 38, "data_type/db_name/extents/session_error");
        assertZero(b, 148, 252, "descrip/aux_file");
        assertZero(b, 328, 344, "intent_name");
        assertZero(b, 348, 352, "extension flag");
    }

    @Test
    void freeTextAndExtensionsOfAnInputAreDropped() throws IOException {
        // a file whose descrip, aux_file, intent_name and an extension all hold patient data
        Path clean = dir.resolve("c.nii");
        Volume v = TestVolumes.random(TestVolumes.oblique(4, 3, 2), DataType.INT16, 3);
        NiftiWriter.write(v, clean);
        byte[] b = Files.readAllBytes(clean);
        byte[] ext = "\u0020\0\0\0\u0004\0\0\0PATIENT DOE JOHN 1970-01-01\0".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(b.length + ext.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(b, 0, 348);
        out.put(new byte[] {1, 0, 0, 0});
        out.put(ext, 0, 32);
        out.put(b, 352, b.length - 352);
        byte[] dirty = out.array();
        put(dirty, 148, "DOE^JOHN MRN 123456");
        put(dirty, 228, "aux DOE");
        put(dirty, 328, "name DOE");
        ByteBuffer.wrap(dirty).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 384f);
        Path dirtyFile = dir.resolve("dirty.nii");
        Files.write(dirtyFile, dirty);

        Volume read = NiftiReader.read(dirtyFile);
        for (int i = 0; i < v.voxels().length(); i++) {
            assertEquals(v.voxels().get(i), read.voxels().get(i));
        }
        Path rewritten = dir.resolve("rewritten.nii.gz");
        NiftiWriter.write(read, rewritten);
        byte[] plain;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(rewritten))) {
            plain = in.readAllBytes();
        }
        String text = new String(plain, StandardCharsets.ISO_8859_1);
        assertTrue(!text.contains("DOE"), "patient text leaked into the output");
        assertEquals(352 + v.voxels().length() * 2, plain.length);
    }

    @Test
    void bigEndianFilesAreRead() throws IOException {
        Volume v = TestVolumes.random(TestVolumes.oblique(5, 4, 3), DataType.INT16, 9);
        Path le = dir.resolve("le.nii");
        NiftiWriter.write(v, le);
        byte[] be = NiftiBytes.bigEndianInt16(Files.readAllBytes(le));
        Path bef = dir.resolve("be.nii");
        Files.write(bef, be);
        NiftiReader.Loaded back = NiftiReader.readWithHeader(bef);
        assertEquals(ByteOrder.BIG_ENDIAN, back.header().byteOrder());
        assertEquals(NiftiReader.readWithHeader(le).volume().geometry(), back.volume().geometry());
        for (int i = 0; i < v.voxels().length(); i++) {
            assertEquals(v.voxels().get(i), back.volume().voxels().get(i));
        }
    }

    @Test
    void scaledIntegersBecomeFloatWithSlopeAndInterceptApplied() throws IOException {
        Volume v = TestVolumes.random(TestVolumes.oblique(4, 4, 2), DataType.INT16, 5);
        Path f = dir.resolve("s.nii");
        NiftiWriter.write(v, f);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(112, 0.5f).putFloat(116, -1024f);
        Files.write(f, b);
        NiftiReader.Loaded back = NiftiReader.readWithHeader(f);
        assertEquals(DataType.INT16, back.header().storedType());
        assertEquals(DataType.FLOAT32, back.volume().type());
        for (int i = 0; i < v.voxels().length(); i++) {
            assertEquals(v.voxels().get(i) * 0.5 - 1024, back.volume().voxels().get(i), 1e-3);
        }
    }

    @Test
    void geometryOfAStudyStyleHeaderIsItkLps() throws IOException {
        // RAS affine diag(-0.45,-0.45,1.25), origin (114.975, 265.3, -182.5): ITK gives identity direction
        // and origin (-114.975, -265.3, -182.5); the numbers come from the reference's description
        Geometry lps = new Geometry(8, 8, 4, new double[] {0.45, 0.45, 1.25},
                new double[] {-114.975, -265.3, -182.5}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Path f = dir.resolve("study.nii.gz");
        NiftiWriter.write(Volume.allocate(lps, DataType.INT16), f);
        byte[] hdr;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            hdr = in.readNBytes(352);
        }
        ByteBuffer h = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-0.45f, h.getFloat(280));
        assertEquals(114.975f, h.getFloat(292));
        assertEquals(-0.45f, h.getFloat(300));
        assertEquals(265.3f, h.getFloat(308));
        assertEquals(1.25f, h.getFloat(320));
        assertEquals(-182.5f, h.getFloat(324));
        Geometry back = NiftiReader.readHeader(f).geometry();
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, back.direction(), 0);
        assertArrayEquals(new double[] {-114.975f, -265.3f, -182.5}, back.origin(), 0);
    }

    private static void put(byte[] b, int at, String s) {
        byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, b, at, t.length);
    }

    private static void assertZero(byte[] b, int from, int to, String what) {
        for (int i = from; i < to; i++) {
            assertEquals(0, b[i], what + " byte " + i);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }
}
