package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MostProbableClassTest {

    @Test
    void labelAndConfidenceOfEveryPixelOfEverySlice() {
        checkEveryPixel(3, 21, 40);
    }

    @Test
    void slicesLargerThanOneParallelRangeAreCoveredToTheLastPixel() {
        // 40,000 pixels: two full ranges of 16,384 pixels and a partial third, in each of two slices
        checkEveryPixel(2, 5, 40_000);
    }

    private static void checkEveryPixel(int n, int classes, int pixels) {
        Random random = new Random(7);
        float[] p = new float[n * classes * pixels];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextFloat();
        }
        int offset = 5;
        byte[] labels = new byte[offset + n * pixels];
        byte[] confidence = new byte[labels.length];

        MostProbableClass.write(FloatBuffer.wrap(p), n, classes, pixels, labels, confidence, offset);

        // expected, pixel by pixel over its classes (the other loop order)
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < pixels; i++) {
                int arg = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[(s * classes + c) * pixels + i] > p[(s * classes + arg) * pixels + i]) {
                        arg = c;
                    }
                }
                float max = p[(s * classes + arg) * pixels + i];
                assertEquals(arg, labels[offset + s * pixels + i], "label of slice " + s + " pixel " + i);
                // the documented rounding: round(255·p), halves to even
                assertEquals((int) Math.rint(max * 255f), confidence[offset + s * pixels + i] & 0xff, "confidence");
            }
        }
        assertArrayEquals(new byte[offset], java.util.Arrays.copyOf(labels, offset), "nothing before the offset");
    }

    @Test
    void theFirstClassWinsATieAndCertaintyIs255() {
        // one slice, 3 classes, 2 pixels: pixel 0 ties classes 1 and 2, pixel 1 is certain of class 2
        float[] p = {0.2f, 0f, 0.4f, 0f, 0.4f, 1f};
        byte[] labels = new byte[2];
        byte[] confidence = new byte[2];

        MostProbableClass.write(FloatBuffer.wrap(p), 1, 3, 2, labels, confidence, 0);

        assertArrayEquals(new byte[] {1, 2}, labels);
        assertEquals(102, confidence[0] & 0xff); // 0.4 · 255 = 102
        assertEquals(255, confidence[1] & 0xff);
    }

    @Test
    void aShortArrayIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> MostProbableClass.write(FloatBuffer.allocate(5), 1, 3, 2, new byte[2], new byte[2], 0));
    }
}
