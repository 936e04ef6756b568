package org.triplane.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;

/** Every kind of broken file gets an {@link InvalidImageException} that names the file and the problem. */
class BadNiftiFileTest {
    @TempDir
    Path dir;

    private byte[] good;

    @BeforeEach
    void writeGoodFile() throws IOException {
        Path f = dir.resolve("good.nii");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(6, 5, 4), DataType.INT16, 7), f);
        good = Files.readAllBytes(f);
    }

    private ByteBuffer header(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void assertRefused(byte[] content, String name, String... keywords) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        assertRefused(f, keywords);
    }

    private static void assertRefused(Path f, String... keywords) {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> NiftiReader.read(f));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(f.toString() + ": "), "message names the file: " + msg);
        assertTrue(!msg.contains("\n"), "one line: " + msg);
        for (String k : keywords) {
            assertTrue(msg.contains(k), "message '" + msg + "' should mention '" + k + "'");
        }
    }

    @Test
    void missingFile() {
        assertRefused(dir.resolve("nope.nii.gz"), "no such file");
    }

    @Test
    void emptyFile() throws IOException {
        assertRefused(new byte[0], "empty.nii", "empty");
    }

    @Test
    void shorterThanAHeader() throws IOException {
        assertRefused(Arrays.copyOf(good, 100), "short.nii", "shorter than a NIfTI-1 header");
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = good.clone();
        b[344] = 'x';
        assertRefused(b, "magic.nii", "bad magic");
    }

    @Test
    void notNiftiAtAll() throws IOException {
        byte[] b = new byte[2000];
        Arrays.fill(b, (byte) 'A');
        assertRefused(b, "text.nii", "bad magic", "sizeof_hdr");
    }

    @Test
    void nifti2() throws IOException {
        byte[] b = good.clone();
        header(b).putInt(0, 540);
        assertRefused(b, "two.nii", "NIfTI-2");
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] gz = NiftiRoundTripTest.gzip(good);
        assertRefused(Arrays.copyOf(gz, gz.length / 2), "cut.nii.gz", "truncated");
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] gz = NiftiRoundTripTest.gzip(good);
        for (int i = 20; i < 60; i++) {
            gz[i] ^= 0x5a;
        }
        assertRefused(gz, "corrupt.nii.gz", "gzip");
    }

    @Test
    void zeroDimension() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(44, (short) 0);
        assertRefused(b, "zero.nii", "dimension 2 is 0");
    }

    @Test
    void negativeDimension() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(46, (short) -5);
        assertRefused(b, "neg.nii", "dimension 3 is -5");
    }

    @Test
    void absurdDimensionsAreRefusedBeforeAnyAllocation() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(42, (short) 32767).putShort(44, (short) 32767).putShort(46, (short) 32767);
        assertRefused(b, "huge.nii", "absurd dimensions");
    }

    @Test
    void badRank() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(40, (short) 9);
        assertRefused(b, "rank.nii", "dim[0] is 9");
    }

    @Test
    void fourDimensionalSeries() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(40, (short) 4).putShort(48, (short) 3);
        assertRefused(b, "series.nii", "only 3-D");
    }

    @Test
    void dataShorterThanHeaderSaysPlain() throws IOException {
        assertRefused(Arrays.copyOf(good, good.length - 10), "cut.nii", "data shorter than the header says");
    }

    @Test
    void dataShorterThanHeaderSaysGzip() throws IOException {
        byte[] gz = NiftiRoundTripTest.gzip(Arrays.copyOf(good, good.length - 10));
        assertRefused(gz, "cut2.nii.gz", "data shorter than the header says");
    }

    @Test
    void lyingHeaderOnATinyGzipFileFailsWithoutAllocatingGigabytes() throws IOException {
        // 2000×2000×120 int16 promised (~960 MB), 240 bytes present: must fail on what is there
        byte[] b = good.clone();
        header(b).putShort(42, (short) 2000).putShort(44, (short) 2000).putShort(46, (short) 120);
        byte[] gz = NiftiRoundTripTest.gzip(b);
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        assertRefused(gz, "liar.nii.gz", "data shorter than the header says");
        long after = rt.totalMemory() - rt.freeMemory();
        assertTrue(after - before < 200L << 20, "allocated " + ((after - before) >> 20) + " MB");
    }

    @Test
    void aLyingHeaderWithAMatchingTrailerOnATinyGzipFileFailsWithoutAllocatingGigabytes() throws IOException {
        // the same 960 MB promise, and the gzip trailer made to agree with it: too small a file to vouch
        byte[] b = good.clone();
        header(b).putShort(42, (short) 2000).putShort(44, (short) 2000).putShort(46, (short) 120);
        byte[] gz = NiftiRoundTripTest.gzip(b);
        long promised = 352L + 2000L * 2000 * 120 * 2;
        ByteBuffer.wrap(gz).order(ByteOrder.LITTLE_ENDIAN).putInt(gz.length - 4, (int) promised);
        Path f = dir.resolve("liar-trailer.nii.gz");
        Files.write(f, gz);
        assertTrue(!NiftiReader.trailerVouches(NiftiReader.readHeader(f)), "a 1 kB file cannot vouch for 960 MB");
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        // why: the counting pass meets the gzip stream's own length check, which the patched trailer fails
        assertRefused(f, "corrupt gzip data");
        long after = rt.totalMemory() - rt.freeMemory();
        assertTrue(after - before < 200L << 20, "allocated " + ((after - before) >> 20) + " MB");
    }

    @Test
    void aGzipFileWhoseTrailerVouchesButWhoseDataIsShortIsStillRefused() throws IOException {
        byte[] cut = Arrays.copyOf(good, good.length - 10);
        byte[] gz = NiftiRoundTripTest.gzip(cut);
        // why: the trailer claims the full length, so the reader allocates first and meets the gap while inflating
        ByteBuffer.wrap(gz).order(ByteOrder.LITTLE_ENDIAN).putInt(gz.length - 4, good.length);
        Path f = dir.resolve("short-vouched.nii.gz");
        Files.write(f, gz);
        assertTrue(NiftiReader.trailerVouches(NiftiReader.readHeader(f)));
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> NiftiReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void unsupportedDatatype() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(70, (short) 128);
        assertRefused(b, "rgb.nii", "unsupported datatype 128", "rgb24");
    }

    @Test
    void zeroSpacing() throws IOException {
        byte[] b = good.clone();
        header(b).putFloat(84, 0f);
        assertRefused(b, "spacing.nii", "pixdim[2]");
    }

    @Test
    void twoFileNifti() throws IOException {
        byte[] b = good.clone();
        b[345] = 'i';
        b[346] = '1';
        assertRefused(b, "pair.nii", "two-file");
    }

    @Test
    void nanInSformWithoutQform() throws IOException {
        byte[] b = good.clone();
        header(b).putShort(252, (short) 0).putFloat(280, Float.NaN);
        assertRefused(b, "nan.nii", "orientation");
    }
}
