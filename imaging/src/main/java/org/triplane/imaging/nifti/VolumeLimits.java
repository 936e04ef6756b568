package org.triplane.imaging.nifti;

import java.nio.file.Path;
import java.util.Locale;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;

/**
 * Ceilings on what a NIfTI-1 file may declare, checked from its header alone: before any voxel is
 * inflated, so a small gzip file that claims a huge volume costs the reader 348 bytes of output.
 *
 * <p>Inflation is then bounded by the file's declared uncompressed size (header, extensions and
 * voxel data up to the last voxel; bytes after it are never read), which these limits bound both
 * absolutely ({@code maxBytes}) and relative to the compressed file ({@code maxInflationRatio}).
 *
 * @param maxVoxels         most voxels, nx·ny·nz (≥ 1)
 * @param maxBytes          most bytes of the uncompressed file as its header declares it: the voxel
 *                          data's end, {@code vox_offset} + voxels × bytes per voxel (≥ 1)
 * @param maxInflationRatio for a gzip file, most declared uncompressed bytes per compressed byte
 *                          (≥ 1); deflate itself cannot exceed about 1032:1
 */
public record VolumeLimits(long maxVoxels, long maxBytes, double maxInflationRatio) {

    public VolumeLimits {
        if (maxVoxels < 1) {
            throw new IllegalArgumentException("maxVoxels must be at least 1, got " + maxVoxels);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        if (!(maxInflationRatio >= 1)) {
            throw new IllegalArgumentException("maxInflationRatio must be at least 1, got " + maxInflationRatio);
        }
    }

    /**
     * @param header    a file's header as {@link NiftiReader} interprets it
     * @param fileBytes the file's size on disk (compressed size for a gzip file)
     * @throws VolumeTooLargeException naming the file, what it declares and the limit it exceeds
     */
    public void check(NiftiFile header, long fileBytes) throws VolumeTooLargeException {
        String shape = checkVoxels(header.file(), header.geometry());
        long declared = declaredBytes(header);
        if (declared > maxBytes) {
            throw new VolumeTooLargeException(header.file(), String.format(Locale.ROOT,
                    "volume too large: %s %s is %,d bytes uncompressed (voxel data from byte %,d), above the limit of %,d bytes",
                    shape, header.storedType().label(), declared, header.dataOffset(), maxBytes));
        }
        if (header.compressed() && declared > maxInflationRatio * fileBytes) {
            throw new VolumeTooLargeException(header.file(), String.format(Locale.ROOT,
                    "gzip data of %,d bytes declares %,d bytes uncompressed (%s %s), a ratio of %,.0f:1 above the limit of"
                            + " %,.0f:1; refused before inflating it", fileBytes, declared, shape, header.storedType().label(),
                    (double) declared / Math.max(1, fileBytes), maxInflationRatio));
        }
    }

    /**
     * The same ceilings for a volume assembled from other files (a DICOM series), checked from its
     * grid before it is allocated; there is no inflation to bound.
     *
     * @param source the folder or file it comes from, for the message
     * @param type   the type it will be held in
     * @throws VolumeTooLargeException naming the source, the volume and the limit it exceeds
     */
    public void check(Path source, Geometry grid, DataType type) throws VolumeTooLargeException {
        String shape = checkVoxels(source, grid);
        long bytes = grid.voxelCount() * type.bytes();
        if (bytes > maxBytes) {
            throw new VolumeTooLargeException(source, String.format(Locale.ROOT,
                    "volume too large: %s %s is %,d bytes, above the limit of %,d bytes", shape, type.label(), bytes, maxBytes));
        }
    }

    /** Checks the voxel count; returns the grid's shape for messages. */
    private String checkVoxels(Path source, Geometry grid) throws VolumeTooLargeException {
        long voxels = grid.voxelCount();
        String shape = grid.nx() + "×" + grid.ny() + "×" + grid.nz();
        if (voxels > maxVoxels) {
            throw new VolumeTooLargeException(source, String.format(Locale.ROOT,
                    "volume too large: %s is %,d voxels, above the limit of %,d voxels", shape, voxels, maxVoxels));
        }
        return shape;
    }

    /** @return the uncompressed file's size up to its last voxel, as the header declares it */
    static long declaredBytes(NiftiFile header) {
        return header.dataOffset() + header.dataBytes();
    }
}
