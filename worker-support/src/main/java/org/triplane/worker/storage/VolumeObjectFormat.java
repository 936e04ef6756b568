package org.triplane.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The format of the volumes one worker stores only for another worker to read (the windowed volume,
 * the intracranial masks): made to be written and read fast, checked end to end, never shown to a
 * user (what users fetch stays gzip NIfTI-1). One file, all numbers little-endian:
 *
 * <pre>
 * offset size
 *      0    8  magic "TPVOLUME"
 *      8    2  format version, 1
 *     10    2  voxel type: its NIfTI datatype code (2 uint8, 4 int16, 16 float32, …; {@link DataType#niftiCode})
 *     12   12  nx, ny, nz (int32): voxels along the array axes i, j, k
 *     24   24  spacing along i, j, k (float64, mm)
 *     48   24  origin: the centre of voxel (0,0,0), LPS mm (float64)
 *     72   72  direction cosines, 3×3 row-major (float64); column c is the LPS unit vector of axis c
 *    144    8  stored payload length, bytes (int64)
 *    152    …  payload: the voxels, x fastest ({@code index = i + nx·(j + ny·k)}), little-endian, as one
 *              LZ4 block (lz4-java's block format) of exactly nx·ny·nz·(bytes per voxel) bytes
 *   end−4    4  CRC32C of every byte before it (header and payload)
 * </pre>
 *
 * The geometry is {@link Geometry}'s own doubles, so a volume reads back equal to the one written,
 * and a volume read from NIfTI is handed on unchanged.
 *
 * <p>why LZ4 and not raw: the masks are 0/1 and the windowed volume is mostly air, so raw bytes
 * would move 2–50 times more data than LZ4 (study grid: windowed 28.8 MB raw, 13.9 MB LZ4, 10.9 MB
 * gzip; a 0/1 mask 28.8 MB raw, 0.6 MB LZ4, 0.4 MB gzip) to save a few milliseconds; LZ4 writes the
 * windowed volume in 26 ms of CPU and reads it in 7 ms, where gzip NIfTI took 218 ms and 126 ms
 * (BENCHMARKS.md, section 20).
 *
 * <p>Reading checks, in order, before any voxel is trusted: the file is long enough for a header,
 * the magic, the version, the voxel type and grid, the file's length against the header's payload
 * length, the CRC32C of the whole file, and that the payload inflates to exactly the grid's bytes.
 * Every refusal is a {@link InvalidVolumeObjectException} naming the object and the problem.
 */
public final class VolumeObjectFormat {
    /** The file's first bytes. */
    static final byte[] MAGIC = {'T', 'P', 'V', 'O', 'L', 'U', 'M', 'E'};
    static final int VERSION = 1;
    static final int HEADER_BYTES = 152;
    static final int TRAILER_BYTES = 4;
    /** Largest voxel payload, bytes: one LZ4 block and one Java array. */
    static final long MAX_PAYLOAD = Integer.MAX_VALUE - 64L;
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    private VolumeObjectFormat() {
    }

    /** Whether {@code file} starts with this format's magic (a file shorter than it does not). */
    public static boolean hasMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /**
     * Writes {@code volume} to {@code file} (replaced if present).
     *
     * @throws IllegalArgumentException when its voxels exceed one block ({@link #MAX_PAYLOAD} bytes)
     */
    public static void write(Volume volume, Path file) throws IOException {
        byte[] voxels = littleEndian(volume.voxels());
        byte[] packed = LZ4.fastCompressor().compress(voxels);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putShort((short) VERSION).putShort((short) volume.type().niftiCode());
        Geometry g = volume.geometry();
        header.putInt(g.nx()).putInt(g.ny()).putInt(g.nz());
        for (double[] numbers : new double[][] {g.spacing(), g.origin(), g.direction()}) {
            for (double v : numbers) {
                header.putDouble(v);
            }
        }
        header.putLong(packed.length);
        CRC32C crc = new CRC32C();
        crc.update(header.array());
        crc.update(packed);
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header.array());
            out.write(packed);
            out.write(trailer.array());
        }
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @param object the object's name for messages (its key in the object store)
     * @return the volume, voxels x fastest, geometry LPS mm, exactly as written
     * @throws InvalidVolumeObjectException naming {@code object} when the file is missing, truncated,
     *                                      corrupted or not in this format
     */
    public static Volume read(Path file, String object) throws IOException {
        byte[] all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES + TRAILER_BYTES) {
                if (size >= MAGIC.length && !startsWithMagic(readAll(ch, (int) size))) {
                    throw notThisFormat(object);
                }
                throw new InvalidVolumeObjectException(object, "truncated: " + size + " bytes, shorter than the "
                        + (HEADER_BYTES + TRAILER_BYTES) + " bytes of a header and checksum");
            }
            ByteBuffer header = ByteBuffer.wrap(readAll(ch, HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            if (!startsWithMagic(header.array())) {
                throw notThisFormat(object);
            }
            long payload = header.getLong(HEADER_BYTES - 8);
            long expected = HEADER_BYTES + payload + TRAILER_BYTES;
            if (payload < 0 || size < expected) {
                throw new InvalidVolumeObjectException(object, "truncated: " + size + " bytes, the header promises "
                        + expected);
            }
            if (size > expected) {
                throw new InvalidVolumeObjectException(object, size + " bytes, " + (size - expected)
                        + " more than the header promises (" + expected + ")");
            }
            ch.position(0);
            all = readAll(ch, (int) size);
        } catch (NoSuchFileException e) {
            throw new InvalidVolumeObjectException(object, "no such file " + file);
        }
        return decode(all, object);
    }

    private static Volume decode(byte[] all, String object) throws InvalidVolumeObjectException {
        int crcAt = all.length - TRAILER_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(all, 0, crcAt);
        int stored = ByteBuffer.wrap(all, crcAt, TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            throw new InvalidVolumeObjectException(object, String.format(
                    "corrupted: CRC32C %08x of its bytes, %08x stored; the object was damaged after it was written",
                    (int) crc.getValue(), stored));
        }
        ByteBuffer h = ByteBuffer.wrap(all, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.position(MAGIC.length);
        int version = h.getShort() & 0xFFFF;
        if (version != VERSION) {
            throw new InvalidVolumeObjectException(object, "format version " + version + ", this reader knows "
                    + VERSION + "; written by a newer triplane?");
        }
        int code = h.getShort() & 0xFFFF;
        DataType type;
        try {
            type = DataType.fromNiftiCode(code);
        } catch (IllegalArgumentException e) {
            throw new InvalidVolumeObjectException(object, "unknown voxel type code " + code);
        }
        int nx = h.getInt();
        int ny = h.getInt();
        int nz = h.getInt();
        double[] spacing = doubles(h, 3);
        double[] origin = doubles(h, 3);
        double[] direction = doubles(h, 9);
        Geometry geometry;
        try {
            geometry = new Geometry(nx, ny, nz, spacing, origin, direction);
        } catch (IllegalArgumentException e) {
            throw new InvalidVolumeObjectException(object, "invalid grid: " + e.getMessage());
        }
        long bytes = geometry.voxelCount() * type.bytes();
        if (bytes > MAX_PAYLOAD) {
            throw new InvalidVolumeObjectException(object, nx + "×" + ny + "×" + nz + " " + type.label()
                    + " voxels, more than one object holds");
        }
        byte[] voxels = new byte[(int) bytes];
        int used;
        try {
            used = LZ4.safeDecompressor().decompress(all, HEADER_BYTES, crcAt - HEADER_BYTES, voxels, 0);
        } catch (LZ4Exception e) {
            throw new InvalidVolumeObjectException(object, "voxel data does not inflate to the " + bytes + " bytes of its "
                    + nx + "×" + ny + "×" + nz + " " + type.label() + " grid: " + e.getMessage());
        }
        if (used != bytes) {
            throw new InvalidVolumeObjectException(object, "voxel data inflates to " + used + " bytes, its " + nx + "×" + ny
                    + "×" + nz + " " + type.label() + " grid needs " + bytes);
        }
        return new Volume(geometry, voxelBuffer(type, voxels));
    }

    private static boolean startsWithMagic(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static InvalidVolumeObjectException notThisFormat(String object) {
        return new InvalidVolumeObjectException(object, "not a triplane volume object (its first bytes are not "
                + new String(MAGIC, java.nio.charset.StandardCharsets.US_ASCII) + ")");
    }

    private static byte[] readAll(FileChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // why: a channel may return fewer bytes than asked for
        }
        return b.array();
    }

    private static double[] doubles(ByteBuffer b, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getDouble();
        }
        return out;
    }

    private static byte[] littleEndian(VoxelBuffer v) {
        long bytes = (long) v.length() * v.type().bytes();
        if (bytes > MAX_PAYLOAD) {
            throw new IllegalArgumentException("volume: " + v.length() + " " + v.type().label()
                    + " voxels, more than one object holds (" + MAX_PAYLOAD + " bytes)");
        }
        if (v instanceof VoxelBuffer.UInt8 u) {
            return u.data;
        }
        if (v instanceof VoxelBuffer.Int8 s) {
            return s.data;
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        copy(v, b, true);
        return b.array();
    }

    private static VoxelBuffer voxelBuffer(DataType type, byte[] bytes) {
        if (type == DataType.UINT8) {
            return new VoxelBuffer.UInt8(bytes);
        }
        if (type == DataType.INT8) {
            return new VoxelBuffer.Int8(bytes);
        }
        VoxelBuffer v = VoxelBuffer.allocate(type, bytes.length / type.bytes());
        copy(v, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), false);
        return v;
    }

    /** Copies a multi-byte voxel buffer's values into little-endian {@code bytes}, or out of them. */
    private static void copy(VoxelBuffer v, ByteBuffer bytes, boolean toBytes) {
        if (v instanceof VoxelBuffer.Int16 s) {
            shorts(bytes, s.data, toBytes);
        } else if (v instanceof VoxelBuffer.UInt16 s) {
            shorts(bytes, s.data, toBytes);
        } else if (v instanceof VoxelBuffer.Int32 s) {
            if (toBytes) {
                bytes.asIntBuffer().put(s.data);
            } else {
                bytes.asIntBuffer().get(s.data);
            }
        } else if (v instanceof VoxelBuffer.Float32 s) {
            if (toBytes) {
                bytes.asFloatBuffer().put(s.data);
            } else {
                bytes.asFloatBuffer().get(s.data);
            }
        } else if (v instanceof VoxelBuffer.Float64 s) {
            if (toBytes) {
                bytes.asDoubleBuffer().put(s.data);
            } else {
                bytes.asDoubleBuffer().get(s.data);
            }
        } else {
            throw new IllegalStateException("unhandled voxel type " + v.type());
        }
    }

    private static void shorts(ByteBuffer bytes, short[] values, boolean toBytes) {
        if (toBytes) {
            bytes.asShortBuffer().put(values);
        } else {
            bytes.asShortBuffer().get(values);
        }
    }
}
