package org.triplane.imaging.registration;

/**
 * Trilinear interpolation of a float image (x fastest) with its gradient in index space: the one
 * home of the interpolation both metrics ({@link NccMetric}, {@link WarpMetric}) read the template with.
 */
final class Trilinear {
    private Trilinear() {
    }

    /**
     * The value between the eight voxels from {@code (x0, y0, z0)} at fractions {@code fx, fy, fz}
     * (each 0..1); the caller keeps {@code x0 + 1 < nx} and likewise on y and z.
     *
     * @param nx       voxels along x
     * @param nxy      voxels per z slice
     * @param gradient when not null, receives d value / d index along x, y and z
     */
    static double at(float[] v, int nx, int nxy, int x0, int y0, int z0, double fx, double fy, double fz,
                     double[] gradient) {
        int p = x0 + nx * y0 + nxy * z0;
        double c000 = v[p];
        double c100 = v[p + 1];
        double c010 = v[p + nx];
        double c110 = v[p + nx + 1];
        double c001 = v[p + nxy];
        double c101 = v[p + nxy + 1];
        double c011 = v[p + nxy + nx];
        double c111 = v[p + nxy + nx + 1];
        double d00 = c100 - c000;
        double d10 = c110 - c010;
        double d01 = c101 - c001;
        double d11 = c111 - c011;
        double c00 = c000 + fx * d00;
        double c10 = c010 + fx * d10;
        double c01 = c001 + fx * d01;
        double c11 = c011 + fx * d11;
        double c0 = c00 + fy * (c10 - c00);
        double c1 = c01 + fy * (c11 - c01);
        if (gradient != null) {
            double e0 = d00 + fy * (d10 - d00);
            double e1 = d01 + fy * (d11 - d01);
            gradient[0] = e0 + fz * (e1 - e0);
            gradient[1] = (c10 - c00) + fz * ((c11 - c01) - (c10 - c00));
            gradient[2] = c1 - c0;
        }
        return c0 + fz * (c1 - c0);
    }
}
