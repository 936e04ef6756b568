package org.triplane.imaging.registration;

import org.triplane.imaging.geometry.AffineTransform;

/**
 * A scan's map to the atlas beyond affine: {@code F(p) = A(p) + d(A(p))}, scan point {@code p}
 * (LPS mm) → atlas point (LPS mm), with {@code A} the affine registration's scan→atlas map and
 * {@code d} a smooth {@link DisplacementField} of atlas space.
 *
 * <p>// why: the displacement lives in the affine atlas space, so anything already laid out there
 * (the networks' model grid, {@code A(p)}) reaches the warped atlas point by {@link #refine}
 * alone, with no inverse to compute.
 *
 * @param scanToAtlas the affine part {@code A}
 * @param field       the displacement {@code d}, atlas LPS mm
 */
public record AtlasWarp(AffineTransform scanToAtlas, DisplacementField field) {

    /** {@code F(p)} for scan point {@code p}. */
    public double[] apply(double[] p) {
        double[] a = scanToAtlas.apply(p);
        field.displace(a, a);
        return a;
    }

    /** {@code a + d(a)} for a point {@code a} of the affine atlas space, written to {@code out}. */
    public void refine(double[] a, double[] out) {
        field.displace(a, out);
    }
}
