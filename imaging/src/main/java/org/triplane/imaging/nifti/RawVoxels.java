package org.triplane.imaging.nifti;

import java.nio.ByteBuffer;
import org.triplane.imaging.volume.DataType;

/**
 * Stored voxel bytes to values, the one rule that {@link NiftiReader} and {@link NiftiVoxelStream}
 * share: a stored value, then {@code scl_slope}/{@code scl_inter} as ITK applies them, rounded to
 * the value type (float32 for a scaled integer file, as ITK promotes it).
 */
final class RawVoxels {

    private RawVoxels() {
    }

    /**
     * @param b    voxel bytes in the file's byte order, voxel 0 at index 0
     * @param type the stored type
     * @param i    voxel index within {@code b}
     * @return the stored value, unscaled
     */
    static double read(ByteBuffer b, DataType type, int i) {
        return switch (type) {
            case UINT8 -> b.get(i) & 0xFF;
            case INT8 -> b.get(i);
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xFFFF;
            case INT32 -> b.getInt(4 * i);
            // why: ITK rescales in the buffer type (float) from a float value
            case FLOAT32 -> b.getFloat(4 * i);
            case FLOAT64 -> b.getDouble(8 * i);
        };
    }

    /**
     * @param info the file's header
     * @param raw  a stored value
     * @return the value as the reader's volume holds it: scaled, in the precision of {@code info.valueType()}
     */
    static double value(NiftiFile info, double raw) {
        if (!info.scaled()) {
            return raw;
        }
        double v = raw * info.slope() + info.intercept();
        // why: a scaled file's values live in float32 (integer files promoted) or float64; store as VoxelBuffer would
        return info.valueType() == DataType.FLOAT32 ? (float) v : v;
    }
}
