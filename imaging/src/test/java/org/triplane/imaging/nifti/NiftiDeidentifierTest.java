package org.triplane.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.triplane.imaging.testing.NiftiBytes;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * On real NIfTI bytes: a file whose free-text fields, extension and trailing bytes name a patient
 * is copied with all of that gone, while its header numbers and voxel bytes stay as they were and
 * {@link NiftiReader} reads the copy exactly as it reads the original.
 */
class NiftiDeidentifierTest {
    private static final String NAME = "Doe^John";
    /** Extension block: esize 32, ecode 4 (ASCII text), then its text. */
    private static final int EXTENSION_SIZE = 32;
    private static final int DIRTY_OFFSET = 352 + EXTENSION_SIZE;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, gzip {1}")
    @CsvSource({"LITTLE_ENDIAN, false", "LITTLE_ENDIAN, true", "BIG_ENDIAN, false", "BIG_ENDIAN, true"})
    void patientTextGoesAndTheImageStays(String byteOrder, boolean gzip) throws IOException {
        ByteOrder order = byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        // why: 96×80×70 int16 is 1.07 MB of voxel data, more than one chunk of the copy
        Volume v = TestVolumes.random(TestVolumes.oblique(96, 80, 70), DataType.INT16, 17);
        byte[] clean = written(v);
        byte[] dirty = withPatientData(order == ByteOrder.BIG_ENDIAN ? NiftiBytes.bigEndianInt16(clean) : clean, order);
        Path original = dir.resolve(gzip ? "dirty.nii.gz" : "dirty.nii");
        Files.write(original, gzip ? NiftiRoundTripTest.gzip(dirty) : dirty);

        byte[] copy = copy(original);

        assertFalse(new String(copy, StandardCharsets.ISO_8859_1).contains("Doe"), "the name is gone");
        long dataBytes = v.voxels().length() * 2L;
        assertEquals(352 + dataBytes, copy.length, "header, extension flag, voxel data and nothing after it");
        assertArrayEquals(Arrays.copyOfRange(dirty, DIRTY_OFFSET, (int) (DIRTY_OFFSET + dataBytes)),
                Arrays.copyOfRange(copy, 352, copy.length), "voxel bytes as uploaded");
        assertEquals(352f, ByteBuffer.wrap(copy).order(order).getFloat(108), "vox_offset");
        for (int i = 0; i < 352; i++) {
            boolean blanked = freeText(i) || i >= 348;
            if (blanked) {
                assertEquals(0, copy[i], "byte " + i + " is zero");
            } else if (i < 108 || i >= 112) {
                assertEquals(dirty[i], copy[i], "header byte " + i + " kept");
            }
        }

        Path copied = Files.write(dir.resolve("copy.nii"), copy);
        NiftiReader.Loaded before = NiftiReader.readWithHeader(original);
        NiftiReader.Loaded after = NiftiReader.readWithHeader(copied);
        assertEquals(before.volume().geometry(), after.volume().geometry(), "geometry identical");
        assertEquals(order, after.header().byteOrder());
        assertEquals(DataType.INT16, after.header().storedType());
        assertEquals(352, after.header().dataOffset());
        for (int i = 0; i < v.voxels().length(); i++) {
            assertEquals(v.voxels().get(i), before.volume().voxels().get(i), "original voxel " + i);
            assertEquals(v.voxels().get(i), after.volume().voxels().get(i), "copied voxel " + i);
        }
    }

    @Test
    void aFileWithNothingToBlankIsCopiedUnchanged() throws IOException {
        Volume v = TestVolumes.random(TestVolumes.oblique(7, 6, 5), DataType.FLOAT32, 3);
        Path gz = dir.resolve("clean.nii.gz");
        NiftiWriter.write(v, gz);
        byte[] uncompressed;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            uncompressed = in.readAllBytes();
        }

        assertArrayEquals(uncompressed, copy(gz));
    }

    @Test
    void aFileShorterThanItsHeaderSaysIsRefusedAsTheReaderRefusesIt() throws IOException {
        byte[] dirty = withPatientData(written(TestVolumes.random(TestVolumes.oblique(6, 5, 4), DataType.INT16, 5)),
                ByteOrder.LITTLE_ENDIAN);
        Path shortFile = Files.write(dir.resolve("short.nii"), Arrays.copyOf(dirty, dirty.length - 100));

        InvalidImageException e = assertThrows(InvalidImageException.class, () -> copy(shortFile));
        assertTrue(e.getMessage().contains("data shorter than the header says"), e.getMessage());
    }

    private byte[] written(Volume v) throws IOException {
        Path f = dir.resolve("clean.nii");
        NiftiWriter.write(v, f);
        return Files.readAllBytes(f);
    }

    private static byte[] copy(Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NiftiDeidentifier.copy(file, out);
        return out.toByteArray();
    }

    /**
     * What exporters leave in a file: the name in every free-text field, an extension holding it
     * (so the data moves to 384), and the name again after the last voxel.
     *
     * @param clean a file with its data at 352 and nothing after it
     */
    private static byte[] withPatientData(byte[] clean, ByteOrder order) {
        ByteBuffer out = ByteBuffer.allocate(clean.length + EXTENSION_SIZE + NAME.length()).order(order);
        out.put(clean, 0, 348);
        out.put(new byte[] {1, 0, 0, 0});
        out.putInt(EXTENSION_SIZE).putInt(4).put(Arrays.copyOf((NAME + " 1970-01-01").getBytes(StandardCharsets.ISO_8859_1),
                EXTENSION_SIZE - 8));
        out.put(clean, 352, clean.length - 352);
        out.put(NAME.getBytes(StandardCharsets.ISO_8859_1));
        byte[] dirty = out.array();
        for (int at : new int[] {4, 14, 148, 228, 328}) {
            System.arraycopy(NAME.getBytes(StandardCharsets.ISO_8859_1), 0, dirty, at, NAME.length());
        }
        ByteBuffer.wrap(dirty).order(order).putFloat(108, DIRTY_OFFSET);
        return dirty;
    }

    private static boolean freeText(int i) {
        return i >= 4 && i < 32 || i >= 148 && i < 252 || i >= 328 && i < 344;
    }
}
