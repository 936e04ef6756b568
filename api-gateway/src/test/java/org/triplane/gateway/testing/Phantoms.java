package org.triplane.gateway.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;

/**
 * Small synthetic scans (48×48×24 voxels of 4.8×4.8×5.7 mm; CT int16 HU, labels uint8 0..20 on the
 * same grid, x fastest; a rotation transform) written with the phantom generator, and byte-level
 * corruptions of them. NIfTI-1 header offsets used here: dim[1..3] at 42/44/46, datatype at 70,
 * bitpix at 72, vox_offset at 108, magic at 344 (all little-endian, as the generator writes).
 */
public final class Phantoms {

    /** Three subjects: ct, transform, labels file of each. */
    public record Subject(Path ct, Path transform, Path labels) {
    }

    private final Subject[] subjects;
    private final Path otherGridLabels;

    private Phantoms(Subject[] subjects, Path otherGridLabels) {
        this.subjects = subjects;
        this.otherGridLabels = otherGridLabels;
    }

    /** @param dir where to write @return three subjects and a label volume on another grid */
    public static Phantoms write(Path dir) {
        try {
            PhantomDataset.Result r = PhantomDataset.write(PhantomSpec.of(48, 48, 24, new double[] {4.8, 4.8, 5.7}, 7),
                    dir.resolve("main"), 3, (done, total, s) -> { });
            Subject[] subjects = r.subjects().stream().map(s -> new Subject(r.directory().resolve(s.ctFile()),
                    r.directory().resolve(s.transformFile()), r.directory().resolve(s.segFile()))).toArray(Subject[]::new);
            PhantomDataset.Result other = PhantomDataset.write(PhantomSpec.of(40, 40, 20, new double[] {4.8, 4.8, 5.7}, 8),
                    dir.resolve("other"), 1, (done, total, s) -> { });
            return new Phantoms(subjects, other.directory().resolve(other.subjects().get(0).segFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param i 0..2 @return subject i */
    public Subject subject(int i) {
        return subjects[i];
    }

    /** @return a valid label volume whose grid is not the subjects' */
    public Path otherGridLabels() {
        return otherGridLabels;
    }

    /** @param file a file @return its bytes */
    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param gz a .nii.gz file @return its uncompressed .nii bytes */
    public static byte[] gunzip(Path gz) {
        return gunzip(bytes(gz));
    }

    /** @param gz gzip-compressed bytes @return them uncompressed */
    public static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param nii uncompressed NIfTI bytes @param offset byte offset @param value new short @return a modified copy */
    public static byte[] withShort(byte[] nii, int offset, int value) {
        byte[] copy = nii.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
        return copy;
    }

    /** @param nii uncompressed NIfTI bytes @param magic replacement for the 4 magic bytes @return a modified copy */
    public static byte[] withMagic(byte[] nii, String magic) {
        byte[] copy = nii.clone();
        byte[] m = Arrays.copyOf(magic.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 4);
        System.arraycopy(m, 0, copy, 344, 4);
        return copy;
    }

    /** @param data bytes @return them gzip-compressed */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @param data bytes @return their SHA-256, 64 lower-case hex digits */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes of the extension {@link #withPatientName} adds: esize, ecode 4 (text), the text. */
    public static final int NAME_EXTENSION_BYTES = 32;

    /**
     * What exporters leave in a header: the name in {@code descrip} (148), {@code aux_file} (228),
     * {@code intent_name} (328), {@code data_type} (4) and {@code db_name} (14), and an extension
     * holding it, so the voxel data moves {@link #NAME_EXTENSION_BYTES} further on.
     *
     * @param nii  uncompressed NIfTI bytes with the data at 352
     * @param name at most 10 characters
     * @return a modified copy
     */
    public static byte[] withPatientName(byte[] nii, String name) {
        byte[] text = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(nii.length + NAME_EXTENSION_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(nii, 0, 348).put(new byte[] {1, 0, 0, 0});
        out.putInt(NAME_EXTENSION_BYTES).putInt(4).put(Arrays.copyOf(text, NAME_EXTENSION_BYTES - 8));
        out.put(nii, 352, nii.length - 352);
        byte[] copy = out.array();
        for (int at : new int[] {4, 14, 148, 228, 328}) {
            System.arraycopy(text, 0, copy, at, text.length);
        }
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 352 + NAME_EXTENSION_BYTES);
        return copy;
    }

    /** @param nii uncompressed NIfTI bytes @return the data offset its header names */
    public static int dataOffset(byte[] nii) {
        return (int) ByteBuffer.wrap(nii).order(ByteOrder.LITTLE_ENDIAN).getFloat(108);
    }
}
