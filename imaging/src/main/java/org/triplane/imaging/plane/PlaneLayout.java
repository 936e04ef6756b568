package org.triplane.imaging.plane;

import org.triplane.imaging.volume.Geometry;

/**
 * How a volume's array axes map onto one plane's slice stack, decided from the direction cosines:
 * each array axis is matched to the LPS axis it points along most, and flipped when it points the
 * other way from the plane's layout ({@link Plane}). Slices are padded to a multiple of
 * {@code 2^depth} in height and width, centred (extra pixel at the end), so a U-Net of that depth
 * can halve them {@code depth} times.
 *
 * @param plane       the plane
 * @param sliceAxis   array axis (0 = i, 1 = j, 2 = k) stepped by the slice index
 * @param heightAxis  array axis stepped by the row index
 * @param widthAxis   array axis stepped by the column index
 * @param flipSlice   whether slice 0 is the array's last index along {@code sliceAxis}
 * @param flipHeight  likewise for rows
 * @param flipWidth   likewise for columns
 * @param slices      number of slices (the array size along {@code sliceAxis})
 * @param height      unpadded rows
 * @param width       unpadded columns
 * @param paddedHeight rows after padding
 * @param paddedWidth columns after padding
 */
public record PlaneLayout(Plane plane, int sliceAxis, int heightAxis, int widthAxis,
                          boolean flipSlice, boolean flipHeight, boolean flipWidth,
                          int slices, int height, int width, int paddedHeight, int paddedWidth) {

    /** Rows of padding above the image. */
    public int padTop() {
        return (paddedHeight - height) / 2;
    }

    /** Columns of padding left of the image. */
    public int padLeft() {
        return (paddedWidth - width) / 2;
    }

    /**
     * The layout of {@code plane} for a grid.
     *
     * @param depth number of 2× down-samplings the slices must survive (0 = no padding)
     * @throws IllegalArgumentException when the direction cosines do not single out one array axis
     *                                  per LPS axis (an oblique scan at exactly 45°)
     */
    public static PlaneLayout of(Geometry g, Plane plane, int depth) {
        if (depth < 0 || depth > 10) {
            throw new IllegalArgumentException("depth must be 0..10, got " + depth);
        }
        int[] arrayAxisOfLps = dominantArrayAxes(g.direction());
        int[] dims = g.dims();
        double[] d = g.direction();
        int sa = arrayAxisOfLps[plane.sliceAxis];
        int ha = arrayAxisOfLps[plane.heightAxis];
        int wa = arrayAxisOfLps[plane.widthAxis];
        boolean fs = Math.signum(d[plane.sliceAxis * 3 + sa]) != plane.sliceSign;
        boolean fh = Math.signum(d[plane.heightAxis * 3 + ha]) != plane.heightSign;
        boolean fw = Math.signum(d[plane.widthAxis * 3 + wa]) != plane.widthSign;
        int multiple = 1 << depth;
        int h = dims[ha];
        int w = dims[wa];
        return new PlaneLayout(plane, sa, ha, wa, fs, fh, fw, dims[sa], h, w,
                roundUp(h, multiple), roundUp(w, multiple));
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** For each LPS axis, the array axis whose direction cosine along it is largest in magnitude. */
    static int[] dominantArrayAxes(double[] direction) {
        int[] result = new int[3];
        boolean[] used = new boolean[3];
        for (int lps = 0; lps < 3; lps++) {
            int best = -1;
            double bestAbs = -1;
            for (int c = 0; c < 3; c++) {
                double a = Math.abs(direction[lps * 3 + c]);
                if (a > bestAbs) {
                    bestAbs = a;
                    best = c;
                }
            }
            if (used[best]) {
                throw new IllegalArgumentException("direction cosines do not map array axes one-to-one onto LPS axes");
            }
            used[best] = true;
            result[lps] = best;
        }
        return result;
    }
}
