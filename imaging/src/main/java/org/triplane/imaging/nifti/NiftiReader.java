package org.triplane.imaging.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Reads single-file NIfTI-1 volumes ({@code .nii} or gzip-compressed, detected from the content),
 * either byte order, datatypes uint8, int8, int16, uint16, int32, float32 and float64.
 *
 * <p>Geometry follows ITK 5.2 ({@link ItkNiftiGeometry}). {@code scl_slope}/{@code scl_inter} are
 * applied as ITK applies them: an integer file that is scaled becomes float32. Every failure is an
 * {@link InvalidImageException} naming the file and the problem. A header that lies about its size
 * cannot make the reader allocate more than a real file of that size could need: a gzip file is
 * inflated once, straight into the volume, when its trailer agrees with its header and the file is
 * large enough to inflate to what the header promises ({@link #trailerVouches}); any other gzip
 * file is inflated once to count its data before the volume is allocated and once more into it.
 * Either pass holds one 8 MB chunk of the file's bytes, never all of them beside the volume.
 */
public final class NiftiReader {
    /** Largest volume accepted (voxels); far above any CT scan, far below what breaks a JVM. */
    public static final long MAX_VOXELS = 1L << 29;
    private static final int CHUNK = 8 << 20;
    /** The most that deflate inflates one byte to (RFC 1951: 258-byte matches in at most 2 bits, ≈ 1032:1). */
    static final long MAX_DEFLATE_RATIO = 1032;

    private NiftiReader() {
    }

    /** Reads the header only. */
    public static NiftiFile readHeader(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return parseHeader(file, in);
        } catch (EOFException | ZipException e) {
            throw gzipProblem(file, e, 0, NiftiHeader.SIZE);
        }
    }

    /** Reads header and voxels. */
    public static Volume read(Path file) throws IOException {
        return readWithHeader(file).volume();
    }

    /** A file's header interpretation together with its voxels. */
    public record Loaded(NiftiFile header, Volume volume) {
    }

    public static Loaded readWithHeader(Path file) throws IOException {
        NiftiFile info = readHeader(file);
        if (info.compressed() && !trailerVouches(info)) {
            // why: without the trailer's word the inflated size is known only by inflating; a first pass holding
            // one chunk shows the data is all there before the volume is allocated, so a lying header costs no memory
            readData(info, null);
        }
        VoxelBuffer voxels = VoxelBuffer.allocate(info.valueType(), (int) info.geometry().voxelCount());
        readData(info, voxels);
        return new Loaded(info, new Volume(info.geometry(), voxels));
    }

    /**
     * Whether a gzip file's own trailer vouches for the size its NIfTI header promises, so that the
     * volume may be allocated before the data is inflated: the trailer's ISIZE (the inflated length of
     * the last gzip member, mod 2<sup>32</sup>) equals {@code vox_offset} + the data's length, and the
     * file has at least 1/{@link #MAX_DEFLATE_RATIO} of that length. A file that lies in both header and
     * trailer can then make the reader allocate no more than an honest gzip file of its size needs, and
     * its missing data is still found when the data is read. Files that gzip or ITK write in one member,
     * ending with the voxel data, qualify; concatenated members or bytes after the data do not.
     */
    static boolean trailerVouches(NiftiFile info) throws IOException {
        long promised = info.dataOffset() + info.dataBytes();
        try (FileChannel ch = FileChannel.open(info.file())) {
            long size = ch.size();
            if (size < 18 || promised > size * MAX_DEFLATE_RATIO) {
                return false;
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (trailer.hasRemaining() && ch.read(trailer, size - 4 + trailer.position()) > 0) {
                // why: a positional read may return fewer bytes than asked for
            }
            return !trailer.hasRemaining() && (trailer.getInt(0) & 0xFFFFFFFFL) == (promised & 0xFFFFFFFFL);
        }
    }

    /**
     * Reads the voxel data a chunk at a time, each decoded into {@code out} (or only counted when it
     * is {@code null}): the volume plus one chunk in memory, never the volume's bytes besides it.
     */
    private static void readData(NiftiFile info, VoxelBuffer out) throws IOException {
        Path file = info.file();
        try (InputStream in = open(file)) {
            parseHeader(file, in);
            checkUncompressedSize(info);
            // why: CHUNK is a multiple of every voxel size, so a chunk holds whole voxels
            byte[] chunk = new byte[(int) Math.min(CHUNK, info.dataBytes())];
            readVoxelData(info, in, chunk, (first, bytes, count) -> {
                if (out != null) {
                    decode(bytes, count, info, out, (int) first);
                }
            });
        } catch (EOFException | ZipException e) {
            throw gzipProblem(file, e, -1, -1);
        }
    }

    /** Receives voxel data a chunk at a time. */
    @FunctionalInterface
    interface VoxelChunks {
        /**
         * @param first  the index of the chunk's first voxel
         * @param chunk  stored bytes, in the file's byte order, from index 0 (the array is reused)
         * @param voxels how many whole voxels the chunk holds
         */
        void accept(long first, byte[] chunk, int voxels) throws IOException;
    }

    /**
     * The one loop over a file's voxel data, for {@link NiftiReader} and {@link NiftiVoxelStream}:
     * skips to {@code vox_offset}, then reads exactly the declared data, never a byte after it.
     *
     * @param in    the file's stream, just after its 348 header bytes
     * @param chunk the buffer to reuse, a whole number of voxels long
     * @throws InvalidImageException when the data is shorter than the header says or the gzip data ends early
     */
    static void readVoxelData(NiftiFile info, InputStream in, byte[] chunk, VoxelChunks sink) throws IOException {
        Path file = info.file();
        long expected = info.dataBytes();
        int bytesPerVoxel = info.storedType().bytes();
        skipFully(file, in, info.dataOffset() - NiftiHeader.SIZE);
        long got = 0;
        while (got < expected) {
            int want = (int) Math.min(chunk.length, expected - got);
            int n;
            try {
                n = in.readNBytes(chunk, 0, want);
            } catch (EOFException e) {
                throw new InvalidImageException(file, "truncated file: gzip data ends after " + got + " of " + expected
                        + " bytes of voxel data", e);
            }
            if (n < want) {
                throw new InvalidImageException(file, "data shorter than the header says: " + (got + n)
                        + " bytes of voxel data, header promises " + expected);
            }
            sink.accept(got / bytesPerVoxel, chunk, want / bytesPerVoxel);
            got += n;
        }
    }

    /**
     * An uncompressed file's size is known before reading: one shorter than its header promises is
     * refused at once, without reading any voxel.
     */
    static void checkUncompressedSize(NiftiFile info) throws IOException {
        if (info.compressed()) {
            return;
        }
        long size = Files.size(info.file());
        long expected = info.dataBytes();
        if (size < info.dataOffset() + expected) {
            throw new InvalidImageException(info.file(), "data shorter than the header says: " + Math.max(0, size - info.dataOffset())
                    + " bytes of voxel data, header promises " + expected + " (" + info.geometry().nx() + "×"
                    + info.geometry().ny() + "×" + info.geometry().nz() + " " + info.storedType().label() + ")");
        }
    }

    static InvalidImageException gzipProblem(Path file, IOException e, long got, long expected) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof EOFException) {
            return new InvalidImageException(file, "truncated file: gzip data ends early (" + detail + ")", e);
        }
        return new InvalidImageException(file, "corrupt gzip data (" + detail + ")", e);
    }

    static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(file, "no such file");
        } catch (IOException e) {
            throw new InvalidImageException(file, "cannot open: " + e.getMessage(), e);
        }
        if (Files.isDirectory(file)) {
            raw.close();
            throw new InvalidImageException(file, "is a directory, not a NIfTI file");
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GzipMarker(new GZIPInputStream(raw, 1 << 16));
        }
        return raw;
    }

    /** Marks a stream as gzip-decoded so the header interpretation can say so. */
    private static final class GzipMarker extends java.io.FilterInputStream {
        GzipMarker(InputStream in) {
            super(in);
        }
    }

    static NiftiFile parseHeader(Path file, InputStream in) throws IOException {
        return parseHeader(file, in.readNBytes(NiftiHeader.SIZE), isGzip(in));
    }

    /** @param in a stream from {@link #open} @return whether it inflates a gzip file */
    static boolean isGzip(InputStream in) {
        return in instanceof GzipMarker;
    }

    /**
     * @param hdr        the file's first bytes, up to 348 (fewer when the file is shorter)
     * @param compressed whether the file is gzip-compressed
     */
    static NiftiFile parseHeader(Path file, byte[] hdr, boolean compressed) throws InvalidImageException {
        if (hdr.length == 0) {
            throw new InvalidImageException(file, "empty file");
        }
        NiftiHeader h;
        try {
            h = NiftiHeader.decode(hdr);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(file, e.getMessage());
        }
        int rank = h.rank();
        if (rank < 1 || rank > 7) {
            throw new InvalidImageException(file, "dim[0] is " + rank + " (must be 1..7)");
        }
        int[] n = {1, 1, 1};
        for (int i = 1; i <= rank; i++) {
            if (h.dim[i] <= 0) {
                throw new InvalidImageException(file, "dimension " + i + " is " + h.dim[i] + " (must be > 0)");
            }
            if (i <= 3) {
                n[i - 1] = h.dim[i];
            } else if (h.dim[i] != 1) {
                throw new InvalidImageException(file, "dimension " + i + " is " + h.dim[i] + ": only 3-D volumes are supported (4-D series must have one time point)");
            }
        }
        long voxels = (long) n[0] * n[1] * n[2];
        if (voxels > MAX_VOXELS) {
            throw new InvalidImageException(file, "absurd dimensions " + n[0] + "×" + n[1] + "×" + n[2] + " (" + voxels
                    + " voxels, limit " + MAX_VOXELS + ")");
        }
        DataType type = DataType.fromNiftiCode(h.datatype);
        if (type == null) {
            throw new InvalidImageException(file, "unsupported datatype " + h.datatype + " " + datatypeName(h.datatype)
                    + " (supported: uint8, int8, int16, uint16, int32, float32, float64)");
        }
        ItkNiftiGeometry.Resolved resolved;
        try {
            resolved = ItkNiftiGeometry.resolve(h, n[0], n[1], n[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(file, e.getMessage());
        }
        double slope = Float.isFinite(h.sclSlope) ? h.sclSlope : 0.0;
        double inter = Float.isFinite(h.sclInter) ? h.sclInter : 0.0;
        if (Math.abs(slope) < Math.ulp(1.0)) {
            slope = 1.0;
        }
        boolean rescale = Math.abs(slope - 1.0) > Math.ulp(1.0) || Math.abs(inter) > Math.ulp(1.0);
        if (!rescale) {
            slope = 1.0;
            inter = 0.0;
        }
        DataType valueType = rescale && type.isInteger() ? DataType.FLOAT32 : type;
        long offset = Float.isFinite(h.voxOffset) ? (long) h.voxOffset : 0;
        if (offset < NiftiHeader.SIZE) {
            offset = NiftiHeader.MIN_DATA_OFFSET;
        }
        return new NiftiFile(file, resolved.geometry(), type, valueType, slope, inter,
                resolved.source().name().toLowerCase(java.util.Locale.ROOT), h.order, compressed, offset);
    }

    private static String datatypeName(int code) {
        return switch (code) {
            case 0 -> "(unknown)";
            case 1 -> "(binary)";
            case 32 -> "(complex64)";
            case 128 -> "(rgb24)";
            case 1024 -> "(int64)";
            case 768 -> "(uint32)";
            case 1280 -> "(uint64)";
            case 1536 -> "(float128)";
            case 1792 -> "(complex128)";
            case 2048 -> "(complex256)";
            case 2304 -> "(rgba32)";
            default -> "";
        };
    }

    static void skipFully(Path file, InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new InvalidImageException(file, "data shorter than the header says: file ends before vox_offset");
                }
                s = 1;
            }
            left -= s;
        }
    }

    /** Decodes {@code count} stored voxels from the start of {@code chunk} into {@code out} from voxel {@code pos}. */
    private static void decode(byte[] chunk, int count, NiftiFile info, VoxelBuffer out, int pos) {
        ByteBuffer b = ByteBuffer.wrap(chunk).order(info.byteOrder());
        if (!info.scaled()) {
            copyRaw(b, out, pos, count);
            return;
        }
        DataType type = info.storedType();
        for (int i = 0; i < count; i++) {
            out.set(pos + i, RawVoxels.value(info, RawVoxels.read(b, type, i)));
        }
    }

    private static void copyRaw(ByteBuffer b, VoxelBuffer out, int pos, int count) {
        if (out instanceof VoxelBuffer.UInt8 u) {
            b.get(0, u.data, pos, count);
        } else if (out instanceof VoxelBuffer.Int8 s) {
            b.get(0, s.data, pos, count);
        } else if (out instanceof VoxelBuffer.Int16 s) {
            b.asShortBuffer().get(0, s.data, pos, count);
        } else if (out instanceof VoxelBuffer.UInt16 s) {
            b.asShortBuffer().get(0, s.data, pos, count);
        } else if (out instanceof VoxelBuffer.Int32 s) {
            b.asIntBuffer().get(0, s.data, pos, count);
        } else if (out instanceof VoxelBuffer.Float32 s) {
            b.asFloatBuffer().get(0, s.data, pos, count);
        } else if (out instanceof VoxelBuffer.Float64 s) {
            b.asDoubleBuffer().get(0, s.data, pos, count);
        }
    }

}
