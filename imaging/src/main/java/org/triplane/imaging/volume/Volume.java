package org.triplane.imaging.volume;

/**
 * A 3-D image: its grid ({@link Geometry}, LPS mm) and its voxels ({@link VoxelBuffer}, x fastest).
 */
public record Volume(Geometry geometry, VoxelBuffer voxels) {

    public Volume {
        if (geometry.voxelCount() != voxels.length()) {
            throw new IllegalArgumentException("grid has " + geometry.voxelCount() + " voxels but the buffer holds " + voxels.length());
        }
    }

    /** A zero-filled volume. */
    public static Volume allocate(Geometry geometry, DataType type) {
        long n = geometry.voxelCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("volume of " + n + " voxels is larger than one array can hold");
        }
        return new Volume(geometry, VoxelBuffer.allocate(type, (int) n));
    }

    public DataType type() {
        return voxels.type();
    }

    /** Linear index of voxel (i,j,k). */
    public int index(int i, int j, int k) {
        return i + geometry.nx() * (j + geometry.ny() * k);
    }

    public double get(int i, int j, int k) {
        return voxels.get(index(i, j, k));
    }
}
