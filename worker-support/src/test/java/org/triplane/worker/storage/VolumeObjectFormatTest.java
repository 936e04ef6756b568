package org.triplane.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class VolumeObjectFormatTest {
    private static final String KEY = "tenants/t/scans/s/preprocessed/windowed-u8.tpvol";

    @TempDir
    Path dir;

    /** An oblique 3×4×2 grid: every number of the geometry differs, so a swapped field shows. */
    private static Geometry oblique() {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        return new Geometry(3, 4, 2, new double[] {0.45, 0.5, 1.25}, new double[] {-101.5, 17.25, -3.125},
                new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
    }

    @Test
    void everyVoxelTypeReadsBackEqualToWhatWasWritten() throws IOException {
        Geometry g = oblique();
        int n = (int) g.voxelCount();
        for (DataType type : DataType.values()) {
            VoxelBuffer voxels = VoxelBuffer.allocate(type, n);
            for (int i = 0; i < n; i++) {
                // why: the type's extremes and a value whose bytes are all different, at known places
                voxels.set(i, i == 0 ? type.min() : i == 1 ? type.max() : i * 37 - 5);
            }
            Path file = dir.resolve(type.label() + ".tpvol");
            VolumeObjectFormat.write(new Volume(g, voxels), file);

            Volume back = VolumeObjectFormat.read(file, KEY);

            assertThat(back.type()).isEqualTo(type);
            assertThat(back.geometry()).isEqualTo(g);
            for (int i = 0; i < n; i++) {
                assertThat(back.voxels().get(i)).as("%s voxel %d", type, i).isEqualTo(voxels.get(i));
            }
        }
    }

    @Test
    void storesVoxelsLittleEndianXFastestAfterTheHeader() throws IOException {
        Geometry g = oblique();
        VoxelBuffer.Int16 voxels = new VoxelBuffer.Int16(new short[(int) g.voxelCount()]);
        voxels.data[1] = 0x0102; // voxel (i=1, j=0, k=0)
        voxels.data[3] = -2;     // voxel (i=0, j=1, k=0)
        Path file = dir.resolve("v.tpvol");
        VolumeObjectFormat.write(new Volume(g, voxels), file);

        byte[] all = Files.readAllBytes(file);
        ByteBuffer h = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(all, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TPVOLUME");
        assertThat(h.getShort(8)).isEqualTo((short) 1);
        assertThat(h.getShort(10)).isEqualTo((short) 4);
        assertThat(new int[] {h.getInt(12), h.getInt(16), h.getInt(20)}).containsExactly(3, 4, 2);
        assertThat(h.getDouble(24)).isEqualTo(0.45);
        assertThat(h.getDouble(48)).isEqualTo(-101.5);
        assertThat(h.getDouble(72)).isEqualTo(Math.cos(0.3));
        long payload = h.getLong(144);
        assertThat(all.length).isEqualTo(152 + payload + 4);
        byte[] voxelBytes = net.jpountz.lz4.LZ4Factory.safeInstance().safeDecompressor()
                .decompress(Arrays.copyOfRange(all, 152, 152 + (int) payload), 48);
        assertThat(Arrays.copyOfRange(voxelBytes, 2, 4)).containsExactly(0x02, 0x01);
        assertThat(Arrays.copyOfRange(voxelBytes, 6, 8)).containsExactly(0xFE, 0xFF);
    }

    @Test
    void aVolumeReadFromNiftiIsHandedOnUnchanged() throws IOException {
        Geometry g = oblique();
        byte[] labels = new byte[(int) g.voxelCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 21);
        }
        Path nifti = dir.resolve("labels.nii.gz");
        NiftiWriter.write(new Volume(g, new VoxelBuffer.UInt8(labels)), nifti);
        Volume fromNifti = NiftiReader.read(nifti);
        Path file = dir.resolve("labels.tpvol");

        VolumeObjectFormat.write(fromNifti, file);
        Volume back = VolumeObjectFormat.read(file, KEY);

        // why: the next worker computes on exactly the grid and voxels it would have read from NIfTI
        assertThat(back.geometry()).isEqualTo(fromNifti.geometry());
        assertThat(((VoxelBuffer.UInt8) back.voxels()).data).isEqualTo(labels);
        // and what it read from NIfTI before, this volume stored as NIfTI again, is that same volume
        Path again = dir.resolve("again.nii.gz");
        NiftiWriter.write(fromNifti, again);
        assertThat(NiftiReader.read(again).geometry()).isEqualTo(back.geometry());
    }

    @Test
    void refusesEveryCorruptedByteNamingTheObject() throws IOException {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        for (int at = 8; at < good.length; at++) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(file, bad);
            int where = at;
            assertThatThrownBy(() -> VolumeObjectFormat.read(file, KEY)).as("byte %d flipped", where)
                    .isInstanceOf(InvalidVolumeObjectException.class)
                    .hasMessageStartingWith(KEY + ": ")
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("corrupted", "truncated", "more than the header"));
        }
    }

    @Test
    void aFlippedVoxelByteIsReportedAsCorruptionWithBothChecksums() throws IOException {
        Path file = written();
        byte[] bad = Files.readAllBytes(file);
        bad[160] ^= 0x01;
        Files.write(file, bad);

        assertThatThrownBy(() -> VolumeObjectFormat.read(file, KEY)).isInstanceOf(InvalidVolumeObjectException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(KEY)
                        + ": corrupted: CRC32C [0-9a-f]{8} of its bytes, [0-9a-f]{8} stored; .*");
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        for (int length : new int[] {0, 5, 100, 155, good.length - 1}) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThatThrownBy(() -> VolumeObjectFormat.read(file, KEY)).as("%d bytes", length)
                    .isInstanceOf(InvalidVolumeObjectException.class)
                    .hasMessageStartingWith(KEY + ": truncated: " + length + " bytes");
        }
    }

    @Test
    void refusesBytesAfterTheChecksum() throws IOException {
        Path file = written();
        byte[] good = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(good, good.length + 3));

        assertThatThrownBy(() -> VolumeObjectFormat.read(file, KEY)).isInstanceOf(InvalidVolumeObjectException.class)
                .hasMessage(KEY + ": " + (good.length + 3) + " bytes, 3 more than the header promises (" + good.length + ")");
    }

    @Test
    void refusesAFileOfAnotherFormat() throws IOException {
        Path nifti = dir.resolve("v.nii.gz");
        NiftiWriter.write(new Volume(oblique(), VoxelBuffer.allocate(DataType.UINT8, 24)), nifti);
        Path shortText = dir.resolve("short.txt");
        Files.writeString(shortText, "hello, world");

        for (Path file : new Path[] {nifti, shortText}) {
            assertThatThrownBy(() -> VolumeObjectFormat.read(file, KEY)).isInstanceOf(InvalidVolumeObjectException.class)
                    .hasMessage(KEY + ": not a triplane volume object (its first bytes are not TPVOLUME)");
            assertThat(VolumeObjectFormat.hasMagic(file)).isFalse();
        }
        assertThat(VolumeObjectFormat.hasMagic(written())).isTrue();
    }

    @Test
    void refusesAMissingFileNamingTheObject() {
        assertThatThrownBy(() -> VolumeObjectFormat.read(dir.resolve("absent.tpvol"), KEY))
                .isInstanceOf(InvalidVolumeObjectException.class).hasMessageStartingWith(KEY + ": no such file ");
    }

    private Path written() throws IOException {
        Geometry g = oblique();
        byte[] v = new byte[(int) g.voxelCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (i * 7);
        }
        Path file = dir.resolve("written.tpvol");
        VolumeObjectFormat.write(new Volume(g, new VoxelBuffer.UInt8(v)), file);
        return file;
    }
}
