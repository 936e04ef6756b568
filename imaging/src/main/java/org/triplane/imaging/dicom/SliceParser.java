package org.triplane.imaging.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one DICOM Part 10 file up to its pixel data, keeping only the attributes of
 * {@link SliceHeader} (an allow-list: every other element is skipped by its length without its
 * value being looked at), then leaves the stream at the first pixel byte.
 *
 * <p>Sequences are skipped whole, with defined or undefined length, in either VR encoding (an
 * explicit {@code UN} of undefined length holds implicit-VR data, as the standard says).
 */
final class SliceParser {
    /** How far a header may run before its pixel data (private tags, sequences, an embedded icon). */
    static final long MAX_HEADER_BYTES = 16L << 20;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int MAX_KEPT_VALUE = 1024;

    static final int TRANSFER_SYNTAX = 0x00020010;
    static final int IMAGE_TYPE = 0x00080008;
    static final int MODALITY = 0x00080060;
    static final int GANTRY_TILT = 0x00181120;
    static final int STUDY_UID = 0x0020000D;
    static final int SERIES_UID = 0x0020000E;
    static final int POSITION = 0x00200032;
    static final int ORIENTATION = 0x00200037;
    static final int SAMPLES = 0x00280002;
    static final int PHOTOMETRIC = 0x00280004;
    static final int FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int INTERCEPT = 0x00281052;
    static final int SLOPE = 0x00281053;
    static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;

    /** The only elements whose values are read. */
    private static final Set<Integer> KEPT = Set.of(IMAGE_TYPE, MODALITY, GANTRY_TILT, STUDY_UID, SERIES_UID, POSITION,
            ORIENTATION, SAMPLES, PHOTOMETRIC, FRAMES, ROWS, COLUMNS, PIXEL_SPACING, BITS_ALLOCATED, BITS_STORED,
            PIXEL_REPRESENTATION, INTERCEPT, SLOPE);
    /** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR",
            "UT", "UV");

    private SliceParser() {
    }

    /** A parsed header and the stream, positioned at the first byte of the pixel data. */
    record Parsed(SliceHeader header, LittleEndianInput pixels) {
    }

    private record Element(int tag, String vr, long length) {
    }

    static Parsed parse(InputStream stream, String name) throws IOException {
        LittleEndianInput in = new LittleEndianInput(stream, MAX_HEADER_BYTES);
        try {
            byte[] preamble = in.upTo(132);
            if (preamble.length < 132 || preamble[128] != 'D' || preamble[129] != 'I' || preamble[130] != 'C' || preamble[131] != 'M') {
                throw new DicomFormatException("not a DICOM file (no DICM marker at byte 128)");
            }
            TransferSyntax syntax = fileMeta(in);
            Map<Integer, byte[]> kept = new HashMap<>();
            long pixelBytes = dataset(in, syntax.explicitVr(), kept);
            return new Parsed(header(name, kept, pixelBytes), in);
        } catch (EOFException e) {
            throw new DicomFormatException("truncated or not an image: " + e.getMessage());
        }
    }

    /**
     * The file meta group (always explicit VR little endian): its transfer syntax. The group is read
     * element by element while the next one is in group 0002, so a file without the group's length
     * (0002,0000) is read too.
     */
    private static TransferSyntax fileMeta(LittleEndianInput in) throws IOException {
        String uid = null;
        while (in.peekU16() == 0x0002) {
            Element e = element(in, true);
            if (e.tag() == TRANSFER_SYNTAX && e.length() <= MAX_KEPT_VALUE) {
                uid = text(in.bytes((int) e.length()));
            } else {
                skipValue(in, e, true);
            }
        }
        if (uid == null) {
            throw new DicomFormatException("no TransferSyntaxUID (0002,0010) in the file meta information");
        }
        String u = uid;
        return TransferSyntax.of(u).orElseThrow(() -> new DicomFormatException(TransferSyntax.refusal(u)));
    }

    /** Reads the top-level elements up to the pixel data, keeping {@link #KEPT}; returns the pixel data's length. */
    private static long dataset(LittleEndianInput in, boolean explicit, Map<Integer, byte[]> kept) throws IOException {
        while (true) {
            Element e;
            try {
                e = element(in, explicit);
            } catch (EOFException end) {
                throw new DicomFormatException("no PixelData (7FE0,0010): not an image (a report, a presentation state "
                        + "or a DICOMDIR?)");
            }
            if (e.tag() == PIXEL_DATA) {
                if (e.length() == UNDEFINED) {
                    throw new DicomFormatException("encapsulated (compressed) PixelData in an uncompressed transfer syntax");
                }
                return e.length();
            }
            if (KEPT.contains(e.tag()) && e.length() != UNDEFINED && e.length() <= MAX_KEPT_VALUE) {
                kept.put(e.tag(), in.bytes((int) e.length()));
            } else {
                skipValue(in, e, explicit);
            }
        }
    }

    private static Element element(LittleEndianInput in, boolean explicit) throws IOException {
        int group = in.u16();
        int elem = in.u16();
        int tag = group << 16 | elem;
        if (group == 0xFFFE || !explicit) {
            return new Element(tag, null, in.u32());
        }
        byte[] vrBytes = in.bytes(2);
        String vr = new String(vrBytes, StandardCharsets.US_ASCII);
        if (LONG_VRS.contains(vr)) {
            in.skip(2);
            return new Element(tag, vr, in.u32());
        }
        if (!vr.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new DicomFormatException(String.format("element (%04X,%04X) has no valid value representation at byte %d",
                    group, elem, in.position() - 2));
        }
        return new Element(tag, vr, in.u16());
    }

    private static void skipValue(LittleEndianInput in, Element e, boolean explicit) throws IOException {
        if (e.length() != UNDEFINED) {
            in.skip(e.length());
        } else {
            skipSequence(in, explicit && !"UN".equals(e.vr()));
        }
    }

    /** Skips the items of a sequence of undefined length, through its delimiter. */
    private static void skipSequence(LittleEndianInput in, boolean explicit) throws IOException {
        while (true) {
            Element item = element(in, explicit);
            if (item.tag() == SEQUENCE_END) {
                return;
            }
            if (item.tag() != ITEM) {
                throw new DicomFormatException(String.format("unexpected element (%08X) inside a sequence", item.tag()));
            }
            if (item.length() != UNDEFINED) {
                in.skip(item.length());
                continue;
            }
            while (true) {
                Element e = element(in, explicit);
                if (e.tag() == ITEM_END) {
                    break;
                }
                skipValue(in, e, explicit);
            }
        }
    }

    private static SliceHeader header(String name, Map<Integer, byte[]> kept, long pixelBytes) throws DicomFormatException {
        String series = string(kept, SERIES_UID);
        if (series == null || series.isEmpty()) {
            throw new DicomFormatException("no SeriesInstanceUID (0020,000E)");
        }
        String study = string(kept, STUDY_UID);
        String imageType = string(kept, IMAGE_TYPE);
        String frames = string(kept, FRAMES);
        return new SliceHeader(name, string(kept, MODALITY), imageType == null ? List.of() : List.of(imageType.split("\\\\")),
                sha256(series), study == null ? null : sha256(study), numbers(kept, POSITION, 3),
                numbers(kept, ORIENTATION, 6), numbers(kept, PIXEL_SPACING, 2), us(kept, ROWS), us(kept, COLUMNS),
                us(kept, BITS_ALLOCATED), us(kept, BITS_STORED), us(kept, PIXEL_REPRESENTATION) == 1, us(kept, SAMPLES),
                string(kept, PHOTOMETRIC), frames == null || frames.isEmpty() ? 1 : (int) number(frames, "NumberOfFrames"),
                single(kept, SLOPE, "RescaleSlope"), single(kept, INTERCEPT, "RescaleIntercept"),
                kept.containsKey(GANTRY_TILT) ? single(kept, GANTRY_TILT, "GantryDetectorTilt") : 0, pixelBytes);
    }

    /** A text value without its padding (space or NUL). */
    private static String text(byte[] b) {
        int end = b.length;
        while (end > 0 && (b[end - 1] == ' ' || b[end - 1] == 0)) {
            end--;
        }
        int start = 0;
        while (start < end && b[start] == ' ') {
            start++;
        }
        return new String(b, start, end - start, StandardCharsets.US_ASCII);
    }

    private static String string(Map<Integer, byte[]> kept, int tag) {
        byte[] b = kept.get(tag);
        return b == null ? null : text(b);
    }

    /** An unsigned short (US), -1 when absent. */
    private static int us(Map<Integer, byte[]> kept, int tag) {
        byte[] b = kept.get(tag);
        return b == null || b.length < 2 ? -1 : (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private static double single(Map<Integer, byte[]> kept, int tag, String what) throws DicomFormatException {
        String s = string(kept, tag);
        return s == null || s.isEmpty() ? Double.NaN : number(s.split("\\\\")[0], what);
    }

    /** A multi-valued decimal string (DS) of exactly {@code count} values, {@code null} when absent. */
    private static double[] numbers(Map<Integer, byte[]> kept, int tag, int count) throws DicomFormatException {
        String s = string(kept, tag);
        if (s == null || s.isEmpty()) {
            return null;
        }
        String what = tag == POSITION ? "ImagePositionPatient" : tag == ORIENTATION ? "ImageOrientationPatient" : "PixelSpacing";
        String[] parts = s.split("\\\\");
        if (parts.length != count) {
            throw new DicomFormatException(what + " has " + parts.length + " values where " + count + " are expected");
        }
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = number(parts[i], what);
        }
        return v;
    }

    private static double number(String s, String what) throws DicomFormatException {
        try {
            double v = Double.parseDouble(s.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new DicomFormatException(what + " '" + s.trim() + "' is not a number");
    }

    /** SHA-256 (hex) of a UID: what is kept of a study or series identity. */
    static String sha256(String uid) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
