package org.triplane.imaging.resample;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Rotate and window in one pass: the CT is resampled through its transform onto its own grid with
 * linear interpolation (out-of-field voxels are air, −1024 HU) and each row is windowed straight
 * into one byte per voxel, so no float volume is ever held.
 *
 * <p>Output: uint8 volume on the input's grid (LPS, x fastest), values 0..254 for the study window.
 * It equals windowing the float32 result of {@link Resampler#resample} voxel by voxel.
 */
public final class WindowedRotation {
    private final Resampler resampler;

    public WindowedRotation(Resampler resampler) {
        this.resampler = resampler;
    }

    public Volume apply(Volume ct, AffineTransform transform, Window window) {
        Volume out = Volume.allocate(ct.geometry(), DataType.UINT8);
        byte[] dst = ((VoxelBuffer.UInt8) out.voxels()).data;
        resampler.resampleRows(ct, ct.geometry(), transform, Interpolation.LINEAR, Window.AIR_HU,
                (offset, values, n) -> {
                    for (int i = 0; i < n; i++) {
                        // why: the float cast matches the float32 path, so both give the same bytes
                        dst[offset + i] = (byte) window.toByte((float) values[i]);
                    }
                });
        return out;
    }
}
