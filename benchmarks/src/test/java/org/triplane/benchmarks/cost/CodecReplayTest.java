package org.triplane.benchmarks.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.worker.storage.VolumeObjectFormat;

/** Sizes and the counting inflation on real files in a bucket folder; CPU seconds only as non-negative. */
class CodecReplayTest {
    @TempDir
    Path dir;

    @Test
    void eachObjectIsMeasuredAsStoredAndAsGzipNifti() throws IOException {
        Path bucket = Files.createDirectories(dir.resolve("bucket"));
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Geometry g = Geometry.axisAligned(40, 30, 20, new double[] {1, 1, 2}, new double[] {0, 0, 0});
        byte[] voxels = new byte[(int) g.voxelCount()];
        for (int i = 0; i < voxels.length; i++) {
            voxels[i] = (byte) (i % 7 == 0 ? i : 0);
        }
        Volume v = new Volume(g, new VoxelBuffer.UInt8(voxels));
        Path object = Files.createDirectories(bucket.resolve("s/preprocessed")).resolve("windowed-u8.tpvol");
        VolumeObjectFormat.write(v, object);
        Path nifti = bucket.resolve("s/labels.nii.gz");
        NiftiWriter.write(v, nifti);
        Files.writeString(bucket.resolve("s/transform.txt"), "#Insight Transform File V1.0\n");
        CodecReplay replay = new CodecReplay(bucket, scratch);

        CodecReplay.Figures asObject = replay.of("s/preprocessed/windowed-u8.tpvol");
        CodecReplay.Figures asNifti = replay.of("s/labels.nii.gz");
        CodecReplay.Figures text = replay.of("s/transform.txt");

        assertEquals(Files.size(object), asObject.size());
        assertEquals(Files.size(nifti), asObject.niftiSize(), "the same volume as the writer writes NIfTI");
        assertEquals(Files.size(nifti), asNifti.size());
        assertEquals(Files.size(nifti), asNifti.niftiSize());
        assertTrue(asObject.decodeSeconds() >= 0 && asObject.niftiDecode() >= 0 && asObject.niftiEncode() >= 0);
        assertEquals(new CodecReplay.Figures(text.size(), 0, 0, text.size(), 0, 0), text);
        assertEquals(352 + g.voxelCount(), CodecReplay.inflate(nifti), "header, extension flag and voxels");
        assertThrows(IllegalStateException.class, () -> replay.of("s/absent.nii.gz"));
        try (var left = Files.list(scratch)) {
            assertEquals(0, left.count(), "copies deleted");
        }
    }
}
