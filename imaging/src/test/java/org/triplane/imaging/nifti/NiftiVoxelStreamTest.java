package org.triplane.imaging.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * The streaming pass returns exactly what {@link NiftiReader} returns, and {@link VolumeLimits}
 * refuses a file from its header, on real gzip bytes: a deflate bomb, and the same header in front
 * of data that is corrupt from the first voxel on (had the check inflated past the header, it
 * would have failed on the corruption instead).
 */
class NiftiVoxelStreamTest {
    private static final VolumeLimits GENEROUS = new VolumeLimits(1L << 28, 1L << 30, 600);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DataType.class)
    void everyVoxelOfEveryDatatypeAsTheReaderReadsIt(DataType type) throws IOException {
        // why: 330,000 voxels span two runs and a partial third
        Volume v = TestVolumes.random(TestVolumes.oblique(100, 66, 50), type, 11);
        for (String name : new String[] {"v.nii", "v.nii.gz"}) {
            Path f = dir.resolve(type.label() + name);
            NiftiWriter.write(v, f);
            assertSameAsReader(f);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"INT16", "UINT8", "FLOAT32"})
    void scaledFilesAsTheReaderScalesThem(DataType type) throws IOException {
        Path plain = dir.resolve("plain.nii");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(30, 20, 10), type, 3), plain);
        byte[] b = Files.readAllBytes(plain);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(112, 0.37f).putFloat(116, -1024.5f);
        Path scaled = Files.write(dir.resolve("scaled-" + type.label() + ".nii"), b);
        Path scaledGz = Files.write(dir.resolve("scaled-" + type.label() + ".nii.gz"), gzip(b, Deflater.DEFAULT_COMPRESSION));

        assertSameAsReader(scaled);
        assertSameAsReader(scaledGz);
    }

    private static void assertSameAsReader(Path f) throws IOException {
        Volume expected = NiftiReader.read(f);
        long[] next = {0};
        try (NiftiVoxelStream s = NiftiVoxelStream.open(f, GENEROUS)) {
            assertEquals(expected.geometry().dims()[2], s.header().geometry().nz());
            s.forEachRun((first, values, count) -> {
                assertEquals(next[0], first, "runs are consecutive");
                assertTrue(count <= NiftiVoxelStream.RUN);
                for (int i = 0; i < count; i++) {
                    assertEquals(expected.voxels().get((int) first + i), values[i], 0.0, () -> f + " voxel " + first);
                }
                next[0] += count;
            });
        }
        assertEquals(expected.voxels().length(), next[0], "every voxel once");
    }

    @Test
    void aSinkStopsThePassWithItsProblem() throws IOException {
        Path f = dir.resolve("v.nii.gz");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(8, 8, 8), DataType.INT16, 1), f);

        try (NiftiVoxelStream s = NiftiVoxelStream.open(f, GENEROUS)) {
            InvalidImageException e = assertThrows(InvalidImageException.class, () -> s.forEachRun((first, values, count) -> {
                throw new InvalidImageException(f, "value " + values[0] + " refused");
            }));
            assertTrue(e.problem().startsWith("value "), e.getMessage());
        }
    }

    @Test
    void shortTruncatedAndCorruptDataAreNamedAsTheReaderNamesThem() throws IOException {
        Path good = dir.resolve("good.nii");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(40, 40, 20), DataType.INT16, 5), good);
        byte[] raw = Files.readAllBytes(good);
        byte[] gz = gzip(raw, Deflater.BEST_SPEED);

        assertRefusedLikeTheReader(Files.write(dir.resolve("short.nii"), Arrays.copyOf(raw, raw.length - 100)),
                "data shorter than the header says");
        assertRefusedLikeTheReader(Files.write(dir.resolve("truncated.nii.gz"), Arrays.copyOf(gz, gz.length / 2)),
                "truncated file");
        assertRefusedLikeTheReader(poisoned("corrupt.nii.gz", TestVolumes.oblique(40, 40, 20)), "corrupt gzip data");
    }

    private static void assertRefusedLikeTheReader(Path f, String fragment) {
        InvalidImageException byReader = assertThrows(InvalidImageException.class, () -> NiftiReader.read(f));
        InvalidImageException byStream = assertThrows(InvalidImageException.class, () -> {
            try (NiftiVoxelStream s = NiftiVoxelStream.open(f, GENEROUS)) {
                s.forEachRun((first, values, count) -> { });
            }
        });
        assertTrue(byReader.problem().contains(fragment), byReader.getMessage());
        assertTrue(byStream.problem().contains(fragment), byStream.getMessage());
        assertTrue(byStream.getMessage().startsWith(f + ": "), "names the file: " + byStream.getMessage());
    }

    @Test
    void aDeflateBombIsRefusedByItsRatio() throws IOException {
        // why: the case, a max-ratio gzip of 50 MB of int16 zeros (about 49 KB)
        Path bomb = bomb("bomb.nii.gz", new Geometry(256, 256, 384, new double[] {1, 1, 1}, new double[3], identity()));

        VolumeTooLargeException e = assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(bomb, GENEROUS));

        assertTrue(Files.size(bomb) < 64 << 10, "a small file: " + Files.size(bomb));
        assertTrue(e.problem().contains("declares 50,332,000 bytes uncompressed (256×256×384 int16)"), e.getMessage());
        assertTrue(e.problem().contains("above the limit of 600:1; refused before inflating it"), e.getMessage());
        assertTrue(e.getMessage().startsWith(bomb + ": "), e.getMessage());
    }

    @Test
    void theCheckInflatesNothingPastTheHeader() throws IOException {
        Geometry g = new Geometry(256, 256, 384, new double[] {1, 1, 1}, new double[3], identity());
        Path poisoned = poisoned("poisoned.nii.gz", g);

        VolumeTooLargeException e = assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(poisoned, GENEROUS));
        assertTrue(e.problem().contains(":1 above the limit of 600:1"), e.getMessage());

        // why: the corruption is real: a check that read on (limits high enough) reaches it at the first voxels
        try (NiftiVoxelStream s = NiftiVoxelStream.open(poisoned, new VolumeLimits(1L << 28, 1L << 30, 1e9))) {
            InvalidImageException late = assertThrows(InvalidImageException.class, () -> s.forEachRun((first, values, count) -> { }));
            assertTrue(late.problem().contains("corrupt gzip data"), late.getMessage());
        }
    }

    @Test
    void aSmallGzipClaimingAGibibyteIsRefusedByItsSizeBeforeAnyVoxel() throws IOException {
        // why: the 1 MB → 1 GiB int16 claim; the data after the header is corrupt, so any inflation would show
        Path claim = poisoned("claim.nii.gz", new Geometry(1024, 1024, 512, new double[] {1, 1, 1}, new double[3], identity()));
        VolumeLimits bytesOnly = new VolumeLimits(1L << 30, 512L << 20, 1e9);

        VolumeTooLargeException voxels = assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(claim, GENEROUS));
        VolumeTooLargeException bytes = assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(claim, bytesOnly));

        assertTrue(voxels.problem().contains("1024×1024×512 is 536,870,912 voxels, above the limit of 268,435,456 voxels"),
                voxels.getMessage());
        assertTrue(bytes.problem().contains("1024×1024×512 int16 is 1,073,742,176 bytes uncompressed (voxel data from byte 352),"
                + " above the limit of 536,870,912 bytes"), bytes.getMessage());
    }

    @Test
    void aHugeVoxOffsetCountsTowardsTheDeclaredSize() throws IOException {
        Path good = dir.resolve("small.nii");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(8, 8, 8), DataType.INT16, 2), good);
        byte[] b = Files.readAllBytes(good);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 2e9f);
        Path far = Files.write(dir.resolve("far.nii.gz"), gzip(b, Deflater.BEST_SPEED));

        VolumeTooLargeException e = assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(far, GENEROUS));
        assertTrue(e.problem().contains("voxel data from byte 2,000,000,000"), e.getMessage());
    }

    @Test
    void aVolumeWithinTheLimitsPassesAndOneVoxelLessRefuses() throws IOException {
        Path f = dir.resolve("v.nii.gz");
        NiftiWriter.write(TestVolumes.random(TestVolumes.oblique(10, 10, 10), DataType.INT16, 4), f);

        try (NiftiVoxelStream s = NiftiVoxelStream.open(f, new VolumeLimits(1000, 352 + 2000, 600))) {
            assertEquals(1000, s.header().geometry().voxelCount());
        }
        assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(f, new VolumeLimits(999, 1L << 30, 600)));
        assertThrows(VolumeTooLargeException.class, () -> NiftiVoxelStream.open(f, new VolumeLimits(1000, 352 + 1999, 600)));
    }

    /** A real gzip of the header and every voxel as zero, at deflate's best ratio. */
    private Path bomb(String name, Geometry g) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = gzipStream(Files.newOutputStream(f), Deflater.BEST_COMPRESSION, false)) {
            out.write(NiftiWriter.header(g, DataType.INT16));
            byte[] zeros = new byte[1 << 20];
            for (long left = g.voxelCount() * 2; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        return f;
    }

    /** The header and 1 KiB of voxels as a complete deflate block, then bytes that are no deflate block. */
    private Path poisoned(String name, Geometry g) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream gz = gzipStream(bytes, Deflater.BEST_COMPRESSION, true);
        gz.write(NiftiWriter.header(g, DataType.INT16));
        gz.write(new byte[1024]);
        gz.flush();
        byte[] head = bytes.toByteArray();
        byte[] poison = new byte[64];
        // why: 0xff starts a block of type 3, which deflate does not have: inflating it fails at once
        Arrays.fill(poison, (byte) 0xff);
        byte[] file = Arrays.copyOf(head, head.length + poison.length);
        System.arraycopy(poison, 0, file, head.length, poison.length);
        return Files.write(dir.resolve(name), file);
    }

    private static byte[] gzip(byte[] content, int level) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = gzipStream(bytes, level, false)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static OutputStream gzipStream(OutputStream out, int level, boolean syncFlush) throws IOException {
        return new GZIPOutputStream(out, 1 << 16, syncFlush) {
            {
                def.setLevel(level);
            }
        };
    }

    private static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }
}
