package org.triplane.imaging.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte-level rewrites of NIfTI-1 files for tests. */
public final class NiftiBytes {
    private NiftiBytes() {
    }

    /**
     * @param b an uncompressed little-endian int16 file as {@code NiftiWriter} writes it (data at 352)
     * @return the same file in big-endian byte order: every header number and every voxel swapped
     */
    public static byte[] bigEndianInt16(byte[] b) {
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer be = ByteBuffer.allocate(b.length).order(ByteOrder.BIG_ENDIAN);
        be.putInt(0, in.getInt(0));
        System.arraycopy(b, 4, be.array(), 4, 36);
        for (int i = 40; i < 76; i += 2) {
            be.putShort(i, in.getShort(i));
        }
        for (int i = 76; i < 148; i += 4) {
            if (i == 120) {
                be.putShort(120, in.getShort(120));
                be.put(122, b[122]).put(123, b[123]);
            } else if (i < 140) {
                be.putFloat(i, in.getFloat(i));
            } else {
                be.putInt(i, in.getInt(i));
            }
        }
        be.putShort(252, in.getShort(252));
        be.putShort(254, in.getShort(254));
        for (int i = 256; i < 328; i += 4) {
            be.putFloat(i, in.getFloat(i));
        }
        System.arraycopy(b, 328, be.array(), 328, 24);
        for (int i = 352; i < b.length; i += 2) {
            be.putShort(i, in.getShort(i));
        }
        return be.array();
    }
}
