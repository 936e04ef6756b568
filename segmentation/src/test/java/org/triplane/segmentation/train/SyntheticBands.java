package org.triplane.segmentation.train;

import java.util.Random;
import org.triplane.imaging.plane.Plane;
import org.triplane.segmentation.data.PlaneSamples;

/**
 * A learnable stand-in for CT slices: each slice is a grid of square patches, each patch one of
 * {@code bands} intensity bands (channel 0 = (band + 0.5) / bands plus Gaussian noise) and labelled
 * with its band number 0..bands−1. Optional channel 1 is a left/right ramp, like the position channel.
 */
public final class SyntheticBands {
    private SyntheticBands() {
    }

    public static PlaneSamples make(int count, int channels, int size, int patch, int bands, double noise, long seed) {
        Random random = new Random(seed);
        int pixels = size * size;
        float[] inputs = new float[count * channels * pixels];
        byte[] labels = new byte[count * pixels];
        int[] scan = new int[count];
        for (int n = 0; n < count; n++) {
            scan[n] = n / 10;
            int[][] band = new int[size / patch + 1][size / patch + 1];
            for (int[] row : band) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = random.nextInt(bands);
                }
            }
            for (int h = 0; h < size; h++) {
                for (int w = 0; w < size; w++) {
                    int b = band[h / patch][w / patch];
                    int p = h * size + w;
                    labels[n * pixels + p] = (byte) b;
                    inputs[(n * channels) * pixels + p] = (float) ((b + 0.5) / bands + noise * random.nextGaussian());
                    if (channels == 2) {
                        inputs[(n * channels + 1) * pixels + p] = (w - size / 2f) / size;
                    }
                }
            }
        }
        return new PlaneSamples(Plane.AXIAL, count, channels, size, size, inputs, labels, scan);
    }
}
