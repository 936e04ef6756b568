package org.triplane.imaging.nifti;

import java.util.Locale;

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
        long voxels = header.geometry().voxelCount();
        String shape = header.geometry().nx() + "×" + header.geometry().ny() + "×" + header.geometry().nz();
        if (voxels > maxVoxels) {
            throw new VolumeTooLargeException(header.file(), String.format(Locale.ROOT,
                    "volume too large: %s is %,d voxels, above the limit of %,d voxels", shape, voxels, maxVoxels));
        }
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

    /** @return the uncompressed file's size up to its last voxel, as the header declares it */
    static long declaredBytes(NiftiFile header) {
        return header.dataOffset() + header.dataBytes();
    }
}
