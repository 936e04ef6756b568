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
                (offset, values, n) -> toBytes(window, values, n, dst, offset));
        return out;
    }

    /**
     * {@code dst[offset + i] = window.toByte((float) values[i])} for i in [0, n), written without
     * branches on the value. Why: a row alternates between air, tissue and bone in no predictable
     * order, and mispredicted branches cost more than computing both outcomes.
     */
    static void toBytes(Window window, double[] values, int n, byte[] dst, int offset) {
        final double low = window.low();
        final double high = window.high();
        final int top = window.clampHigh() ? (int) Math.floor(high - low + 0.5) : 0;
        for (int i = 0; i < n; i++) {
            // why: the float cast matches the float32 path, so both give the same bytes
            double hu = (float) values[i];
            int inside = (int) Math.floor(hu - low + 0.5);
            int outside = hu > high ? top : 0;
            dst[offset + i] = (byte) (hu >= low & hu <= high ? inside : outside);
        }
    }
}
