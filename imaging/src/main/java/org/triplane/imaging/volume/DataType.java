package org.triplane.imaging.volume;

import java.util.Locale;

/**
 * Voxel storage types the imaging core reads and writes, with their NIfTI-1 datatype codes.
 *
 * <p>Integer types clamp then truncate when a real value is stored into them, exactly as ITK's
 * {@code ResampleImageFilter} does for integer outputs (values are not rounded).
 */
public enum DataType {
    UINT8(2, 1, 0, 255),
    INT8(256, 1, -128, 127),
    INT16(4, 2, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16(512, 2, 0, 65535),
    INT32(8, 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 4, -Float.MAX_VALUE, Float.MAX_VALUE),
    FLOAT64(64, 8, -Double.MAX_VALUE, Double.MAX_VALUE);

    private final int niftiCode;
    private final int bytes;
    private final double min;
    private final double max;

    DataType(int niftiCode, int bytes, double min, double max) {
        this.niftiCode = niftiCode;
        this.bytes = bytes;
        this.min = min;
        this.max = max;
    }

    /** NIfTI-1 {@code datatype} code. */
    public int niftiCode() {
        return niftiCode;
    }

    /** Bytes per voxel on disk and in memory. */
    public int bytes() {
        return bytes;
    }

    /** Smallest representable value. */
    public double min() {
        return min;
    }

    /** Largest representable value. */
    public double max() {
        return max;
    }

    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64;
    }

    /** Lower-case name used in JSON and on the command line, e.g. {@code int16}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a NIfTI datatype code, or {@code null} when the core does not support it. */
    public static DataType fromNiftiCode(int code) {
        for (DataType t : values()) {
            if (t.niftiCode == code) {
                return t;
            }
        }
        return null;
    }

    /** The type for a label such as {@code int16}; throws with the accepted names otherwise. */
    public static DataType fromLabel(String label) {
        for (DataType t : values()) {
            if (t.label().equals(label.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown data type '" + label + "' (expected one of uint8, int8, int16, uint16, int32, float32, float64)");
    }
}
