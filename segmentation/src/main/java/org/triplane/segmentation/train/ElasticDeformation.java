package org.triplane.segmentation.train;

import java.util.SplittableRandom;

/**
 * Moves the scan against the atlas: each slice's channel 0 (the scan's window) and its labels are
 * resampled through one random smooth in-plane displacement, the other channels (the atlas's, fixed
 * in atlas space) stay. Why: with the atlas inputs, what the network must learn is how far the scan's
 * anatomy lies off the atlas's; a handful of synthetic scans show only a handful of such offsets,
 * and a network that sees each of them many times learns them by heart instead.
 *
 * <p>The displacement is bilinear between control points {@code controlSpacing} pixels apart, each
 * component uniform in ±{@code maxDisplacement} pixels; channel 0 is read bilinearly, the labels by
 * nearest neighbour, 0 beyond the slice.
 *
 * @param controlSpacing  pixels between control points, ≥ 2
 * @param maxDisplacement largest displacement per component at a control point, pixels, ≥ 0
 */
public record ElasticDeformation(int controlSpacing, double maxDisplacement) implements BatchAugmentation {

    public ElasticDeformation {
        if (controlSpacing < 2) {
            throw new IllegalArgumentException("control point spacing must be >= 2 pixels, got " + controlSpacing);
        }
        if (!(maxDisplacement >= 0) || Double.isInfinite(maxDisplacement)) {
            throw new IllegalArgumentException("largest displacement must be finite and >= 0 pixels, got " + maxDisplacement);
        }
    }

    @Override
    public void apply(float[] inputs, byte[] labels, int count, int channels, int height, int width, SplittableRandom random) {
        int pixels = height * width;
        float[] window = new float[pixels];
        byte[] label = new byte[pixels];
        int rows = height / controlSpacing + 2;
        int columns = width / controlSpacing + 2;
        double[] dy = new double[rows * columns];
        double[] dx = new double[rows * columns];
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < dy.length; i++) {
                dy[i] = (2 * random.nextDouble() - 1) * maxDisplacement;
                dx[i] = (2 * random.nextDouble() - 1) * maxDisplacement;
            }
            int channelZero = n * channels * pixels;
            System.arraycopy(inputs, channelZero, window, 0, pixels);
            System.arraycopy(labels, n * pixels, label, 0, pixels);
            for (int h = 0; h < height; h++) {
                double gy = (double) h / controlSpacing;
                int r = (int) gy;
                double fy = gy - r;
                for (int w = 0; w < width; w++) {
                    double gx = (double) w / controlSpacing;
                    int c = (int) gx;
                    double fx = gx - c;
                    double y = h + lerp(dy, r, c, fy, fx, columns);
                    double x = w + lerp(dx, r, c, fy, fx, columns);
                    inputs[channelZero + h * width + w] = bilinear(window, height, width, y, x);
                    int ny = (int) Math.round(y);
                    int nx = (int) Math.round(x);
                    labels[n * pixels + h * width + w] = ny < 0 || nx < 0 || ny >= height || nx >= width ? 0
                            : label[ny * width + nx];
                }
            }
        }
    }

    private static double lerp(double[] grid, int r, int c, double fy, double fx, int columns) {
        double top = grid[r * columns + c] * (1 - fx) + grid[r * columns + c + 1] * fx;
        double bottom = grid[(r + 1) * columns + c] * (1 - fx) + grid[(r + 1) * columns + c + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static float bilinear(float[] plane, int height, int width, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (float) (value(plane, height, width, y0, x0) * (1 - fy) * (1 - fx)
                + value(plane, height, width, y0, x0 + 1) * (1 - fy) * fx
                + value(plane, height, width, y0 + 1, x0) * fy * (1 - fx)
                + value(plane, height, width, y0 + 1, x0 + 1) * fy * fx);
    }

    private static float value(float[] plane, int height, int width, int y, int x) {
        return y < 0 || x < 0 || y >= height || x >= width ? 0 : plane[y * width + x];
    }
}
