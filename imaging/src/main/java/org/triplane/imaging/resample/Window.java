package org.triplane.imaging.resample;

/**
 * An intensity window that maps HU to one byte per voxel, as the study prepared network inputs:
 * a value v in {@code [low, high]} becomes {@code round(v − low)} (so [-124, 130] HU → 0..254);
 * values outside the window become the background value 0 (the study set them to {@code low}),
 * or, with {@link #clampHigh}, values above {@code high} saturate at the top byte instead.
 *
 * @param low       lowest HU kept (inclusive)
 * @param high      highest HU kept (inclusive); {@code high − low} must be at most 255
 * @param clampHigh whether values above {@code high} map to the top value rather than to 0
 */
public record Window(double low, double high, boolean clampHigh) {
    /** The study's window. */
    public static final Window STUDY = new Window(-124, 130, false);

    /** HU given to voxels that rotation brings in from outside the scan's field of view. */
    public static final double AIR_HU = -1024;

    public Window {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
            throw new IllegalArgumentException("window needs finite low < high, got [" + low + ", " + high + "]");
        }
        if (Math.floor(high - low + 0.5) > 255) {
            throw new IllegalArgumentException("window [" + low + ", " + high + "] is wider than 255 HU and does not fit one byte");
        }
    }

    /** The byte for a value in HU (0..255, as an int). */
    public int toByte(double hu) {
        if (hu >= low && hu <= high) {
            return (int) Math.floor(hu - low + 0.5);
        }
        if (hu > high && clampHigh) {
            return (int) Math.floor(high - low + 0.5);
        }
        return 0;
    }

    /** Inverse of {@link #toByte} for display: the HU at the centre of a byte's bin. */
    public double toHu(int value) {
        return low + (value & 0xFF);
    }
}
