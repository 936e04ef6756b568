package org.triplane.imaging.nifti;

import java.nio.ByteOrder;
import java.nio.file.Path;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;

/**
 * What a NIfTI-1 file's header says, interpreted as ITK 5.2 interprets it.
 *
 * @param file           the file
 * @param geometry       the grid in ITK's LPS convention (mm)
 * @param storedType     the datatype on disk
 * @param valueType      the type voxels have once {@code scl_slope}/{@code scl_inter} are applied:
 *                       the stored type, or float32 when an integer file is scaled (as ITK promotes it)
 * @param slope          effective {@code scl_slope} (1 when the header's is 0)
 * @param intercept      effective {@code scl_inter}
 * @param orientation    which header part gave the orientation: {@code sform}, {@code qform} or {@code pixdim}
 * @param byteOrder      the file's byte order
 * @param compressed     whether the file is gzip-compressed
 * @param dataOffset     byte offset of the voxel data in the (uncompressed) file
 */
public record NiftiFile(Path file, Geometry geometry, DataType storedType, DataType valueType,
                        double slope, double intercept, String orientation, ByteOrder byteOrder,
                        boolean compressed, long dataOffset) {

    /** True when stored values are rescaled on reading. */
    public boolean scaled() {
        return slope != 1.0 || intercept != 0.0;
    }

    /** Bytes of voxel data the header promises. */
    public long dataBytes() {
        return geometry.voxelCount() * storedType.bytes();
    }
}
