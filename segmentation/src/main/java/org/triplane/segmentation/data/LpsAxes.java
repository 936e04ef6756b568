package org.triplane.segmentation.data;

/**
 * Which array axis of a grid points along which LPS axis, decided from the direction cosines the
 * way {@link org.triplane.imaging.plane.PlaneLayout} decides it: each LPS axis is matched to the
 * array axis whose cosine along it is largest in magnitude.
 */
final class LpsAxes {
    private LpsAxes() {
    }

    /**
     * For each LPS axis (0 = x, 1 = y, 2 = z) the array axis (0 = i, 1 = j, 2 = k) pointing along it.
     *
     * @param direction 3×3 row-major direction cosines (column c = LPS unit vector of array axis c)
     * @throws IllegalArgumentException when two LPS axes pick the same array axis (a grid oblique at 45°)
     */
    static int[] arrayAxisOfLps(double[] direction) {
        int[] result = new int[3];
        boolean[] used = new boolean[3];
        for (int lps = 0; lps < 3; lps++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                if (Math.abs(direction[lps * 3 + c]) > Math.abs(direction[lps * 3 + best])) {
                    best = c;
                }
            }
            if (used[best]) {
                throw new IllegalArgumentException("direction cosines " + java.util.Arrays.toString(direction)
                        + " do not map array axes one-to-one onto LPS axes");
            }
            used[best] = true;
            result[lps] = best;
        }
        return result;
    }

    /** For each array axis (0 = i, 1 = j, 2 = k) the LPS axis it points along; inverse of {@link #arrayAxisOfLps}. */
    static int[] lpsOfArrayAxis(double[] direction) {
        int[] arrayOfLps = arrayAxisOfLps(direction);
        int[] result = new int[3];
        for (int lps = 0; lps < 3; lps++) {
            result[arrayOfLps[lps]] = lps;
        }
        return result;
    }
}
