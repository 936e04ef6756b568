package org.triplane.imaging.registration;

/**
 * The HU band registration compares, {@code [low, high]}: values outside are clamped to the
 * nearest bound before any averaging.
 *
 * <p>// why: the CT template's skull is blurred to 350–770 HU while a real skull reads 1000+ HU,
 * and air, noise and the table differ from scanner to scanner; clamping keeps what a scan and the
 * template share (the head outline, the skull as "bright", brain against CSF) and makes bone and
 * air equal in both.
 *
 * @param low  lower bound, HU
 * @param high upper bound, HU (greater than {@code low})
 */
public record IntensityWindow(double low, double high) {

    public IntensityWindow {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
            throw new IllegalArgumentException("window must be finite with high > low, got [" + low + ", " + high + "]");
        }
    }

    /** {@code value} clamped to the window. */
    public float clamp(double value) {
        return (float) (value < low ? low : (value > high ? high : value));
    }
}
