package org.triplane.segmentation.infer;

/**
 * Per pixel, the most probable class and its probability, from a batch of class probabilities laid
 * out NCHW (N slices, C classes, then the slice's pixels row by row, x fastest).
 *
 * <p>Why in Java: libtorch's arg-max over the class axis of an NCHW tensor walks the classes with a
 * stride of H·W per pixel on one thread and took 27 ms of a 96 ms batch (8 slices of 128×128, 21
 * classes); this pass reads the probabilities class by class in memory order and finds label and
 * confidence together in a few milliseconds.
 */
final class MostProbableClass {
    private MostProbableClass() {
    }

    /**
     * Writes, for every pixel of {@code n} slices, the class with the highest probability (the first
     * one on ties, as {@code argmax} does) into {@code labels} and that probability as a byte,
     * {@code round(255·p)} (halves to even), into {@code confidence}, both from {@code offset} on in
     * slice-then-pixel order.
     *
     * @param probabilities n × classes × pixels values, NCHW
     */
    static void write(float[] probabilities, int n, int classes, int pixels, byte[] labels, byte[] confidence, int offset) {
        if (probabilities.length != (long) n * classes * pixels) {
            throw new IllegalArgumentException("expected " + n + " × " + classes + " × " + pixels + " probabilities, got "
                    + probabilities.length);
        }
        float[] best = new float[pixels];
        byte[] arg = new byte[pixels];
        for (int s = 0; s < n; s++) {
            int base = s * classes * pixels;
            System.arraycopy(probabilities, base, best, 0, pixels);
            java.util.Arrays.fill(arg, (byte) 0);
            for (int c = 1; c < classes; c++) {
                int from = base + c * pixels;
                byte label = (byte) c;
                for (int i = 0; i < pixels; i++) {
                    float v = probabilities[from + i];
                    // why strictly greater: the first class wins a tie, like libtorch's argmax
                    if (v > best[i]) {
                        best[i] = v;
                        arg[i] = label;
                    }
                }
            }
            int out = offset + s * pixels;
            System.arraycopy(arg, 0, labels, out, pixels);
            for (int i = 0; i < pixels; i++) {
                confidence[out + i] = (byte) (int) Math.rint(best[i] * 255f);
            }
        }
    }
}
