package org.triplane.imaging.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fields of a NIfTI-1 header (348 bytes) that the imaging core uses, decoded in the file's byte
 * order. Free-text fields ({@code descrip}, {@code aux_file}, {@code intent_name}, {@code db_name})
 * are deliberately not kept: they can carry patient data and are never written back.
 */
public final class NiftiHeader {
    public static final int SIZE = 348;
    /** Where single-file data starts when the header has no extensions. */
    public static final int MIN_DATA_OFFSET = 352;

    public static final int XFORM_UNKNOWN = 0;
    public static final int XFORM_SCANNER_ANAT = 1;

    public final ByteOrder order;
    public final short[] dim = new short[8];
    public final short datatype;
    public final short bitpix;
    public final float[] pixdim = new float[8];
    public final float voxOffset;
    public final float sclSlope;
    public final float sclInter;
    public final byte xyztUnits;
    public final short qformCode;
    public final short sformCode;
    public final float quaternB;
    public final float quaternC;
    public final float quaternD;
    public final float qoffsetX;
    public final float qoffsetY;
    public final float qoffsetZ;
    public final float[] srowX = new float[4];
    public final float[] srowY = new float[4];
    public final float[] srowZ = new float[4];
    public final String magic;

    private NiftiHeader(ByteBuffer b) {
        this.order = b.order();
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        datatype = b.getShort(70);
        bitpix = b.getShort(72);
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        voxOffset = b.getFloat(108);
        sclSlope = b.getFloat(112);
        sclInter = b.getFloat(116);
        xyztUnits = b.get(123);
        qformCode = b.getShort(252);
        sformCode = b.getShort(254);
        quaternB = b.getFloat(256);
        quaternC = b.getFloat(260);
        quaternD = b.getFloat(264);
        qoffsetX = b.getFloat(268);
        qoffsetY = b.getFloat(272);
        qoffsetZ = b.getFloat(276);
        for (int i = 0; i < 4; i++) {
            srowX[i] = b.getFloat(280 + 4 * i);
            srowY[i] = b.getFloat(296 + 4 * i);
            srowZ[i] = b.getFloat(312 + 4 * i);
        }
        byte[] m = new byte[4];
        b.get(344, m);
        int len = 0;
        while (len < 4 && m[len] != 0) {
            len++;
        }
        magic = new String(m, 0, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes the first 348 bytes, detecting the byte order from {@code sizeof_hdr}.
     *
     * @throws IllegalArgumentException with a one-line reason when this is not a NIfTI-1 header
     */
    public static NiftiHeader decode(byte[] header) {
        if (header.length < SIZE) {
            throw new IllegalArgumentException("file is " + header.length + " bytes, shorter than a NIfTI-1 header (348 bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(header, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int size = b.getInt(0);
        if (size != SIZE) {
            b.order(ByteOrder.BIG_ENDIAN);
            int swapped = b.getInt(0);
            if (swapped != SIZE) {
                if (size == 540 || swapped == 540) {
                    throw new IllegalArgumentException("NIfTI-2 files are not supported (sizeof_hdr 540); convert to NIfTI-1");
                }
                throw new IllegalArgumentException("bad magic: not a NIfTI-1 file (sizeof_hdr is " + size + ", expected 348)");
            }
        }
        NiftiHeader h = new NiftiHeader(b);
        if (!h.magic.equals("n+1")) {
            if (h.magic.equals("ni1")) {
                throw new IllegalArgumentException("two-file NIfTI (.hdr/.img, magic 'ni1') is not supported; use a single .nii or .nii.gz file");
            }
            throw new IllegalArgumentException("bad magic '" + printable(h.magic) + "' (expected 'n+1' for a NIfTI-1 .nii file)");
        }
        return h;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }

    /** {@code dim[0]}: the number of dimensions in use. */
    public int rank() {
        return dim[0];
    }
}
