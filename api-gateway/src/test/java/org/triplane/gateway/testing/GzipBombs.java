package org.triplane.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip-compressed NIfTI files that claim more than they should, made from a real header (the
 * first 352 bytes of an uncompressed NIfTI file, e.g. {@link Phantoms#gunzip}) with its dimensions
 * changed: a real deflate bomb (every voxel zero at deflate's best ratio, about 1030:1), and a
 * poisoned file whose data turns into bytes that are no deflate block right after the header and
 * 1 KiB of voxels, so that anything inflating past that point fails on it.
 */
public final class GzipBombs {

    private static final int HEADER = 352;

    private GzipBombs() {
    }

    /**
     * @param nii  an uncompressed NIfTI file's bytes (little-endian), whose header is reused
     * @param dims the dimensions to claim, nx ny nz
     * @param file where to write
     * @return {@code file}: the header and nx·ny·nz zero voxels of its datatype, gzip at level 9
     */
    public static Path bomb(byte[] nii, int[] dims, Path file) {
        byte[] header = header(nii, dims);
        long dataBytes = (long) dims[0] * dims[1] * dims[2] * bytesPerVoxel(header);
        try (OutputStream out = gzip(Files.newOutputStream(file), false)) {
            out.write(header);
            byte[] zeros = new byte[1 << 20];
            for (long left = dataBytes; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * @param nii  an uncompressed NIfTI file's bytes (little-endian), whose header is reused
     * @param dims the dimensions to claim, nx ny nz
     * @param file where to write
     * @return {@code file}: gzip of the header and 1 KiB of zero voxels, then 64 bytes that no inflater accepts
     */
    public static Path poisoned(byte[] nii, int[] dims, Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            OutputStream gz = gzip(bytes, true);
            gz.write(header(nii, dims));
            gz.write(new byte[1024]);
            gz.flush();
            byte[] head = bytes.toByteArray();
            byte[] content = Arrays.copyOf(head, head.length + 64);
            // why: 0xff starts a block of type 3, which deflate does not have
            Arrays.fill(content, head.length, content.length, (byte) 0xff);
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] header(byte[] nii, int[] dims) {
        byte[] header = Arrays.copyOf(nii, HEADER);
        for (int i = 0; i < 3; i++) {
            header = Phantoms.withShort(header, 42 + 2 * i, dims[i]);
        }
        return header;
    }

    private static int bytesPerVoxel(byte[] header) {
        // why: bitpix, little-endian at byte 72
        return ((header[72] & 0xff) | (header[73] & 0xff) << 8) / 8;
    }

    private static OutputStream gzip(OutputStream out, boolean syncFlush) throws IOException {
        return new GZIPOutputStream(out, 1 << 16, syncFlush) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }
}
