package org.triplane.imaging.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Little-endian reads from a stream with the position counted and a ceiling on how far a header
 * may run before its pixel data, so that a file that is all header (or a zip entry that inflates
 * without end) is refused instead of read to its end.
 */
final class LittleEndianInput {
    private final PushbackInputStream in;
    private final long limit;
    private long position;

    LittleEndianInput(InputStream in, long limit) {
        this.in = new PushbackInputStream(in, 2);
        this.limit = limit;
    }

    /** The next unsigned short without consuming it, or -1 at the end of the stream. */
    int peekU16() throws IOException {
        byte[] b = in.readNBytes(2);
        in.unread(b);
        return b.length < 2 ? -1 : (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    long position() {
        return position;
    }

    int u16() throws IOException {
        byte[] b = bytes(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    long u32() throws IOException {
        byte[] b = bytes(4);
        return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
    }

    byte[] bytes(int n) throws IOException {
        ensureWithinLimit(n);
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("the file ends at byte " + (position + b.length) + " where " + n + " more were declared");
        }
        position += n;
        return b;
    }

    /** Reads {@code n} bytes, fewer where the stream ends first. */
    byte[] upTo(int n) throws IOException {
        ensureWithinLimit(n);
        byte[] b = in.readNBytes(n);
        position += b.length;
        return b;
    }

    /** Reads exactly {@code b.length} bytes into {@code b} (pixel data: not counted against the header limit). */
    void readFully(byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n < b.length) {
            throw new EOFException("the pixel data ends after " + n + " of " + b.length + " bytes");
        }
        position += n;
    }

    void skip(long n) throws IOException {
        ensureWithinLimit(n);
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the file ends at byte " + (position + n - left) + " where " + n + " bytes were declared");
                }
                s = 1;
            }
            left -= s;
        }
        position += n;
    }

    private void ensureWithinLimit(long n) throws IOException {
        if (position + n > limit) {
            throw new DicomFormatException("more than " + limit + " bytes before the pixel data: not a CT slice this "
                    + "reader takes");
        }
    }
}
