package org.triplane.imaging.resample;

/**
 * Rounding to whole numbers as {@code Math.rint} does it, for numbers well inside the {@code int}
 * range, without calling it. why: the services run the C1 compiler only, which calls {@code Math.rint}
 * and {@code Math.floor} as methods with many branches, and these run for every voxel of a scan.
 */
public final class Rounding {
    private Rounding() {
    }

    /**
     * {@code (int) Math.rint(x)}: the nearest whole number, a half to the even one, for |x| below 2^30.
     */
    public static int halfEven(double x) {
        int floor = (int) x;
        if (floor > x) {
            floor--;
        }
        // exact: x and its integer part share their fraction's bits
        double fraction = x - floor;
        return fraction > 0.5 || (fraction == 0.5 && (floor & 1) != 0) ? floor + 1 : floor;
    }

    /**
     * ITK's {@code Math::RoundHalfIntegerUp}, {@code round-half-even(2x + 0.5) >> 1}, for |x| below 2^28
     * (where {@code 2x + 0.5} is exact): how ITK's nearest-neighbour interpolation picks a voxel.
     */
    static int halfIntegerUp(double x) {
        return halfEven(2 * x + 0.5) >> 1;
    }
}
