package org.triplane.segmentation.infer;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Per pixel, the most probable class and its probability, from a batch of class probabilities laid
 * out NCHW (N slices, C classes, then the slice's pixels row by row, x fastest).
 *
 * <p>Why in Java: libtorch's arg-max over the class axis of an NCHW tensor walks the classes with a
 * stride of H·W per pixel on one thread and took 27 ms of a 96 ms batch (8 slices of 128×128, 21
 * classes); this pass reads the probabilities class by class in memory order and finds label and
 * confidence together in a few milliseconds. It reads them where libtorch wrote them (a direct buffer
 * over the tensor), one class row of a pixel range at a time into a small array, so no batch-sized
 * Java array is made; pixel ranges run in parallel, since the cores are idle between forward passes.
 */
final class MostProbableClass {
    /** Pixels per parallel task: 64 KiB of probabilities per class row, small enough to stay in cache. */
    private static final int RANGE = 16_384;

    private MostProbableClass() {
    }

    /**
     * Writes, for every pixel of {@code n} slices, the class with the highest probability (the first
     * one on ties, as {@code argmax} does) into {@code labels} and that probability as a byte,
     * {@code round(255·p)} (halves to even), into {@code confidence}, both from {@code offset} on in
     * slice-then-pixel order.
     *
     * @param probabilities n × classes × pixels values, NCHW, from index 0 to its limit; only read
     */
    static void write(FloatBuffer probabilities, int n, int classes, int pixels, byte[] labels, byte[] confidence,
                      int offset) {
        if (probabilities.limit() != (long) n * classes * pixels) {
            throw new IllegalArgumentException("expected " + n + " × " + classes + " × " + pixels + " probabilities, got "
                    + probabilities.limit());
        }
        int rangesPerSlice = (pixels + RANGE - 1) / RANGE;
        IntStream.range(0, n * rangesPerSlice).parallel().forEach(task -> {
            int slice = task / rangesPerSlice;
            int from = (task % rangesPerSlice) * RANGE;
            int count = Math.min(RANGE, pixels - from);
            writeRange(probabilities, slice * classes * pixels + from, classes, pixels, count, labels, confidence,
                    offset + slice * pixels + from);
        });
    }

    /**
     * Every class's probability as {@code round(255·p)} into {@code out[class]} at {@code offset + slice·pixels + pixel},
     * from the same NCHW batch as {@link #write}.
     */
    static void quantise(FloatBuffer probabilities, int n, int classes, int pixels, byte[][] out, int offset) {
        IntStream.range(0, n * classes).parallel().forEach(task -> {
            int slice = task / classes;
            int c = task % classes;
            int first = (slice * classes + c) * pixels;
            byte[] dst = out[c];
            int at = offset + slice * pixels;
            for (int i = 0; i < pixels; i++) {
                dst[at + i] = (byte) (int) Math.rint(probabilities.get(first + i) * 255f);
            }
        });
    }

    /** One slice's pixels [from, from + count): class c's row starts at {@code first + c·pixels}. */
    private static void writeRange(FloatBuffer probabilities, int first, int classes, int pixels, int count,
                                   byte[] labels, byte[] confidence, int out) {
        float[] best = new float[count];
        float[] row = new float[count];
        byte[] arg = new byte[count];
        probabilities.get(first, best, 0, count);
        for (int c = 1; c < classes; c++) {
            probabilities.get(first + c * pixels, row, 0, count);
            byte label = (byte) c;
            for (int i = 0; i < count; i++) {
                float v = row[i];
                // why strictly greater: the first class wins a tie, like libtorch's argmax
                if (v > best[i]) {
                    best[i] = v;
                    arg[i] = label;
                }
            }
        }
        System.arraycopy(arg, 0, labels, out, count);
        for (int i = 0; i < count; i++) {
            confidence[out + i] = (byte) (int) Math.rint(best[i] * 255f);
        }
    }
}
