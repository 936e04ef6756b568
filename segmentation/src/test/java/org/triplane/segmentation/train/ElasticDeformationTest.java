package org.triplane.segmentation.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ElasticDeformationTest {
    private static final int H = 48;
    private static final int W = 40;
    private static final int C = 3;

    /** Two slices: channel 0 a ramp along columns (its value is the column), channel 1 and 2 constants, labels = a disc. */
    private static float[] inputs() {
        float[] in = new float[2 * C * H * W];
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < H * W; p++) {
                in[(n * C) * H * W + p] = p % W;
                in[(n * C + 1) * H * W + p] = 0.5f;
                in[(n * C + 2) * H * W + p] = n + 1;
            }
        }
        return in;
    }

    private static byte[] labels() {
        byte[] l = new byte[2 * H * W];
        for (int n = 0; n < 2; n++) {
            for (int h = 0; h < H; h++) {
                for (int w = 0; w < W; w++) {
                    int dy = h - H / 2;
                    int dx = w - W / 2;
                    l[n * H * W + h * W + w] = (byte) (dy * dy + dx * dx < 100 ? 7 : 0);
                }
            }
        }
        return l;
    }

    @Test
    void noDisplacementChangesNothing() {
        float[] in = inputs();
        byte[] l = labels();
        new ElasticDeformation(8, 0).apply(in, l, 2, C, H, W, new SplittableRandom(1));
        assertArrayEquals(inputs(), in);
        assertArrayEquals(labels(), l);
    }

    @Test
    void movesTheScanAndItsLabelsTogetherAndLeavesTheAtlasChannels() {
        float[] in = inputs();
        byte[] l = labels();
        new ElasticDeformation(8, 2).apply(in, l, 2, C, H, W, new SplittableRandom(1));
        assertFalse(Arrays.equals(inputs(), in), "the scan channel moved");
        int pixels = H * W;
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < pixels; p++) {
                assertEquals(0.5f, in[(n * C + 1) * pixels + p]);
                assertEquals(n + 1, in[(n * C + 2) * pixels + p]);
                int w = p % W;
                // the ramp is read at most 2 pixels (the largest displacement) away, inside the slice
                if (w >= 3 && w < W - 3 && p / W >= 3 && p / W < H - 3) {
                    assertEquals(w, in[(n * C) * pixels + p], 2.0001, "slice " + n + " pixel " + p);
                }
            }
        }
        long before = count(labels(), (byte) 7);
        long after = count(l, (byte) 7);
        assertTrue(Math.abs(after - before) < 0.25 * before, "disc of " + before + " pixels became " + after);
        for (byte b : l) {
            assertTrue(b == 0 || b == 7);
        }
        float[] again = inputs();
        byte[] againLabels = labels();
        new ElasticDeformation(8, 2).apply(again, againLabels, 2, C, H, W, new SplittableRandom(1));
        assertArrayEquals(in, again, "same random stream, same deformation");
        assertArrayEquals(l, againLabels);
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ElasticDeformation(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ElasticDeformation(8, -1));
    }

    private static long count(byte[] labels, byte label) {
        long n = 0;
        for (byte b : labels) {
            n += b == label ? 1 : 0;
        }
        return n;
    }
}
