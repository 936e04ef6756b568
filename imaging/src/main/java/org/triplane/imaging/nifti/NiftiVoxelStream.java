package org.triplane.imaging.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * One pass over a NIfTI-1 file's voxels in runs of at most {@link #RUN} voxels, never holding the
 * volume: what checking an upload of any size needs, in memory independent of the volume's size
 * (one run of stored bytes and one of values, under 4 MB).
 *
 * <p>{@link #open} reads the header and checks it against a {@link VolumeLimits} before any voxel
 * is inflated; {@link #forEachRun} then inflates exactly the declared voxel data (bytes after the
 * last voxel are never read) and hands each run's values to a {@link Sink}, in file order (x
 * fastest, then y, then z). Values are those {@link NiftiReader} would return: the same header
 * interpretation, the same scaling and precision, the same messages for short, truncated or
 * corrupt data.
 *
 * <p>Not thread-safe; close it (it holds the open file).
 */
public final class NiftiVoxelStream implements AutoCloseable {
    /** Most voxels handed to the sink at once. */
    public static final int RUN = 1 << 18;

    /** Receives the voxels, one run at a time. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param first  the index of {@code values[0]}: {@code x + nx·(y + ny·z)}
         * @param values the run's values, scaled as the reader scales them (HU for a CT)
         * @param count  how many of {@code values} belong to the run (the array is reused)
         * @throws InvalidImageException to stop the pass with a problem found in the values
         */
        void accept(long first, double[] values, int count) throws InvalidImageException;
    }

    private final NiftiFile header;
    private final InputStream in;
    private boolean read;

    private NiftiVoxelStream(NiftiFile header, InputStream in) {
        this.header = header;
        this.in = in;
    }

    /**
     * Opens a file and checks its header: inflates the 348 header bytes and nothing more.
     *
     * @param file   a {@code .nii} or gzip-compressed NIfTI-1 file
     * @param limits what its header may declare
     * @return the stream, positioned before the voxel data
     * @throws VolumeTooLargeException when the header declares more than {@code limits} admits
     * @throws InvalidImageException   when the file is not a readable NIfTI-1 volume, or an
     *                                 uncompressed one is shorter than its header says
     */
    public static NiftiVoxelStream open(Path file, VolumeLimits limits) throws IOException {
        InputStream in = NiftiReader.open(file);
        try {
            NiftiFile header;
            try {
                header = NiftiReader.parseHeader(file, in);
            } catch (EOFException | ZipException e) {
                throw NiftiReader.gzipProblem(file, e, 0, NiftiHeader.SIZE);
            }
            limits.check(header, Files.size(file));
            NiftiReader.checkUncompressedSize(header);
            return new NiftiVoxelStream(header, in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** @return the header as the reader interprets it (geometry in LPS mm) */
    public NiftiFile header() {
        return header;
    }

    /**
     * Inflates and decodes every voxel once, in order.
     *
     * @param sink receives the values
     * @throws InvalidImageException when the data is shorter than the header says, the gzip data is
     *                               truncated or corrupt, or the sink refuses a value
     * @throws IllegalStateException when called a second time
     */
    public void forEachRun(Sink sink) throws IOException {
        if (read) {
            throw new IllegalStateException(header.file() + ": voxels already read");
        }
        read = true;
        int run = (int) Math.min(RUN, header.geometry().voxelCount());
        byte[] bytes = new byte[run * header.storedType().bytes()];
        double[] values = new double[run];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(header.byteOrder());
        try {
            NiftiReader.readVoxelData(header, in, bytes, (first, chunk, count) -> {
                for (int i = 0; i < count; i++) {
                    values[i] = RawVoxels.value(header, RawVoxels.read(buffer, header.storedType(), i));
                }
                sink.accept(first, values, count);
            });
        } catch (EOFException | ZipException e) {
            throw NiftiReader.gzipProblem(header.file(), e, -1, -1);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
