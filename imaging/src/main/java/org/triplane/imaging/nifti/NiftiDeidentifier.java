package org.triplane.imaging.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Copies a NIfTI-1 file without what an exporter can write patient data into, keeping the image
 * byte for byte: the one rule for what a de-identified NIfTI file holds.
 *
 * <p>The copy is uncompressed and holds, in order:
 * <ol>
 *   <li>the file's 348 header bytes with every free-text field zeroed: {@code descrip} (80 bytes at
 *       148), {@code aux_file} (24 at 228), {@code intent_name} (16 at 328), and {@code data_type}
 *       (10 at 4) and {@code db_name} (18 at 14), ANALYZE 7.5 fields that NIfTI-1 leaves unused but
 *       that are free text all the same; {@code vox_offset} (at 108) becomes 352;</li>
 *   <li>four zero bytes: the extension flag says there are no extensions (extensions are free-form
 *       blocks, names and dates included, so none is kept);</li>
 *   <li>exactly the voxel data the header declares, byte for byte (same byte order, same stored
 *       datatype, no rescaling), read from the file's {@code vox_offset} as {@link NiftiReader} reads it.</li>
 * </ol>
 * Every other header field (dimensions, datatype, pixdim, scaling, qform and sform, units, intent
 * code, magic) is kept as it was, so the copy reads exactly as the original does: the same
 * geometry and the same voxels. Only {@code vox_offset} moves when the original had extensions
 * (or any gap before its data); the voxel bytes do not change. Bytes after the last voxel, which no
 * reader reads, are not copied either. A file with nothing to blank, no extension, its data at 352
 * and nothing after its last voxel (as {@link NiftiWriter} writes one) is copied unchanged.
 *
 * <p>The volume is never held: the header, then one chunk of at most 1 MiB of voxel data at a time.
 */
public final class NiftiDeidentifier {
    /** Where the voxel data starts in a copy. */
    public static final int DATA_OFFSET = NiftiHeader.MIN_DATA_OFFSET;

    /** The free-text fields, each as {offset, length} in the 348-byte header. */
    private static final int[][] FREE_TEXT = {{4, 10}, {14, 18}, {148, 80}, {228, 24}, {328, 16}};
    private static final int VOX_OFFSET = 108;
    private static final int CHUNK = 1 << 20;

    private NiftiDeidentifier() {
    }

    /**
     * Writes the de-identified copy of a file.
     *
     * @param file a {@code .nii} or gzip-compressed NIfTI-1 file
     * @param out  receives the uncompressed copy (not closed)
     * @return the file's header as the reader interprets it, which is also the copy's
     * @throws InvalidImageException when the file is not a readable NIfTI-1 volume or its data is
     *                               shorter than its header says, with the reader's messages
     */
    public static NiftiFile copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = NiftiReader.open(file)) {
            byte[] header = in.readNBytes(NiftiHeader.SIZE);
            NiftiFile info = NiftiReader.parseHeader(file, header, NiftiReader.isGzip(in));
            NiftiReader.checkUncompressedSize(info);
            out.write(blanked(header, info.byteOrder()));
            int bytesPerVoxel = info.storedType().bytes();
            // why: CHUNK is a multiple of every voxel size, so a chunk holds whole voxels
            byte[] chunk = new byte[(int) Math.min(CHUNK, info.dataBytes())];
            NiftiReader.readVoxelData(info, in, chunk, (first, bytes, voxels) -> out.write(bytes, 0, voxels * bytesPerVoxel));
            return info;
        } catch (EOFException | ZipException e) {
            throw NiftiReader.gzipProblem(file, e, -1, -1);
        }
    }

    /**
     * @param header a file's 348 header bytes
     * @param order  the file's byte order
     * @return the 352 bytes before the voxel data in the copy: the header with the free-text fields
     *         zeroed and {@code vox_offset} 352, then an extension flag of zeros
     */
    static byte[] blanked(byte[] header, ByteOrder order) {
        byte[] copy = Arrays.copyOf(header, DATA_OFFSET);
        for (int[] field : FREE_TEXT) {
            Arrays.fill(copy, field[0], field[0] + field[1], (byte) 0);
        }
        ByteBuffer.wrap(copy).order(order).putFloat(VOX_OFFSET, DATA_OFFSET);
        Arrays.fill(copy, NiftiHeader.SIZE, DATA_OFFSET, (byte) 0);
        return copy;
    }
}
