package org.triplane.imaging.resample;

/**
 * Rounding to whole numbers as {@code Math.rint} does it, for numbers well inside the {@code int}
 * range, without calling it. why: the services run the C1 compiler only, which calls {@code Math.rint}
 * as a method with many branches, and these run for every voxel of a scan; the methods here are small
 * enough for C1 to inline.
 */
public final class Rounding {
    /**
     * 1.5 · 2^52: a double from 2^52 to 2^53 has no fraction, so adding this rounds any |x| below 2^51 to a
     * whole number, the way every double sum rounds: to the nearest, a half to the even one.
     */
    private static final double WHOLE = 6755399441055744.0;

    private Rounding() {
    }

    /** {@code (int) Math.rint(x)}: the nearest whole number, a half to the even one, for |x| below 2^30. */
    public static int halfEven(double x) {
        return (int) (x + WHOLE - WHOLE);
    }

    /**
     * ITK's {@code Math::RoundHalfIntegerUp}, {@code round-half-even(2x + 0.5) >> 1} with {@code 2x + 0.5}
     * in double as ITK computes it, for |x| below 2^28: how ITK's nearest-neighbour interpolation picks a voxel.
     */
    static int halfIntegerUp(double x) {
        return halfEven(2 * x + 0.5) >> 1;
    }
}
