package org.triplane.imaging.plane;

/**
 * One plane's slices of a one-byte volume, ready to become an NCHW tensor with C = 1:
 * {@code data[((s * paddedHeight) + h) * paddedWidth + w]}, slice s, row h, column w, each
 * slice padded with {@code padValue} around the centred image. Values are the volume's bytes
 * (window bytes 0..254, or label numbers 0..20).
 */
public record PlaneStack(PlaneLayout layout, byte[] data, byte padValue) {

    public PlaneStack {
        long expected = (long) layout.slices() * layout.paddedHeight() * layout.paddedWidth();
        if (data.length != expected) {
            throw new IllegalArgumentException("stack of " + layout + " needs " + expected + " bytes, got " + data.length);
        }
    }

    /** Bytes in one padded slice. */
    public int sliceSize() {
        return layout.paddedHeight() * layout.paddedWidth();
    }

    /** A copy of slice {@code s} (padded), row-major. */
    public byte[] slice(int s) {
        byte[] out = new byte[sliceSize()];
        System.arraycopy(data, s * sliceSize(), out, 0, out.length);
        return out;
    }
}
