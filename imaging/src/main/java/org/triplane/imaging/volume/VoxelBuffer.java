package org.triplane.imaging.volume;

/**
 * The voxels of one volume in one primitive array, x fastest: {@code index = x + nx * (y + ny * z)}.
 *
 * <p>Values are in the volume's own units (HU for CT once the NIfTI scaling is applied, label
 * numbers for segmentations). {@link #set} stores a real value the way ITK casts a resampled value:
 * integer types clamp to their range and truncate toward zero.
 */
public abstract sealed class VoxelBuffer
        permits VoxelBuffer.UInt8, VoxelBuffer.Int8, VoxelBuffer.Int16, VoxelBuffer.UInt16,
                VoxelBuffer.Int32, VoxelBuffer.Float32, VoxelBuffer.Float64 {

    public abstract DataType type();

    public abstract int length();

    public abstract double get(int index);

    public abstract void set(int index, double value);

    /** A zero-filled buffer of the given type and length. */
    public static VoxelBuffer allocate(DataType type, int length) {
        return switch (type) {
            case UINT8 -> new UInt8(new byte[length]);
            case INT8 -> new Int8(new byte[length]);
            case INT16 -> new Int16(new short[length]);
            case UINT16 -> new UInt16(new short[length]);
            case INT32 -> new Int32(new int[length]);
            case FLOAT32 -> new Float32(new float[length]);
            case FLOAT64 -> new Float64(new double[length]);
        };
    }

    /** Fills every voxel with {@code value} (converted as {@link #set} does). */
    public void fill(double value) {
        for (int i = 0, n = length(); i < n; i++) {
            set(i, value);
        }
    }

    /** Stores {@code count} values from {@code row} starting at voxel {@code offset}. */
    public void setRow(int offset, double[] row, int count) {
        for (int i = 0; i < count; i++) {
            set(offset + i, row[i]);
        }
    }

    static double clamp(double v, double lo, double hi) {
        // why: mirrors ITK's CastComponentWithBoundsChecking; NaN falls through to the cast (0)
        return v <= lo ? lo : (v >= hi ? hi : v);
    }

    /** Unsigned 8-bit voxels. */
    public static final class UInt8 extends VoxelBuffer {
        public final byte[] data;

        public UInt8(byte[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.UINT8; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i] & 0xFF; }
        @Override public void set(int i, double v) { data[i] = (byte) (int) clamp(v, 0, 255); }
    }

    /** Signed 8-bit voxels. */
    public static final class Int8 extends VoxelBuffer {
        public final byte[] data;

        public Int8(byte[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.INT8; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (byte) (int) clamp(v, -128, 127); }
    }

    /** Signed 16-bit voxels (the study's CT scans, in HU). */
    public static final class Int16 extends VoxelBuffer {
        public final short[] data;

        public Int16(short[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.INT16; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (short) (int) clamp(v, Short.MIN_VALUE, Short.MAX_VALUE); }
    }

    /** Unsigned 16-bit voxels. */
    public static final class UInt16 extends VoxelBuffer {
        public final short[] data;

        public UInt16(short[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.UINT16; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i] & 0xFFFF; }
        @Override public void set(int i, double v) { data[i] = (short) (int) clamp(v, 0, 65535); }
    }

    /** Signed 32-bit voxels. */
    public static final class Int32 extends VoxelBuffer {
        public final int[] data;

        public Int32(int[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.INT32; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (int) clamp(v, Integer.MIN_VALUE, Integer.MAX_VALUE); }
    }

    /** 32-bit float voxels. */
    public static final class Float32 extends VoxelBuffer {
        public final float[] data;

        public Float32(float[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.FLOAT32; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (float) v; }

        @Override
        public void setRow(int offset, double[] row, int count) {
            for (int i = 0; i < count; i++) {
                data[offset + i] = (float) row[i];
            }
        }
    }

    /** 64-bit float voxels. */
    public static final class Float64 extends VoxelBuffer {
        public final double[] data;

        public Float64(double[] data) {
            this.data = data;
        }

        @Override public DataType type() { return DataType.FLOAT64; }
        @Override public int length() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = v; }

        @Override
        public void setRow(int offset, double[] row, int count) {
            System.arraycopy(row, 0, data, offset, count);
        }
    }
}
