package org.triplane.imaging.geometry;

/**
 * The study's decomposition of a rotation matrix as {@code R = Rz·Ry·Rx} (x applied first), with
 * right-handed rotations about the LPS axes; angles in radians. For display and audit only: the
 * matrix, not the angles, drives resampling.
 */
public record EulerAngles(double x, double y, double z) {

    /** Decomposes a rotation (row-major 3×3). At gimbal lock (|y| = 90°) x is set to 0. */
    public static EulerAngles of(double[] r) {
        double sy = -r[6];
        double cy = Math.hypot(r[0], r[3]);
        double y = Math.atan2(sy, cy);
        if (cy < 1e-12) {
            return new EulerAngles(0, y, Math.atan2(-r[1], r[4]));
        }
        return new EulerAngles(Math.atan2(r[7], r[8]), y, Math.atan2(r[3], r[0]));
    }

    /** {@code Rz·Ry·Rx}, row-major. */
    public double[] toMatrix() {
        return Matrix3.multiply(Matrix3.rotationZ(z), Matrix3.multiply(Matrix3.rotationY(y), Matrix3.rotationX(x)));
    }

    public double xDegrees() {
        return Math.toDegrees(x);
    }

    public double yDegrees() {
        return Math.toDegrees(y);
    }

    public double zDegrees() {
        return Math.toDegrees(z);
    }
}
