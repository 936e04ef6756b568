package org.triplane.imaging.registration;

import org.triplane.imaging.volume.Geometry;

/**
 * The scan voxels one pyramid level compares: every voxel within {@code marginMm} of tissue
 * (tissue share above zero), so that the head, its outline and a rim of air count, and pure air far
 * from the head does not. Held as positions relative to a centre {@code c} (LPS mm, the scan's head
 * centre) and windowed HU values, in scan voxel order.
 *
 * @param qx     x of {@code p − c}, mm (LPS)
 * @param qy     y of {@code p − c}, mm
 * @param qz     z of {@code p − c}, mm
 * @param value  windowed HU of the scan voxel
 * @param centre {@code c}, LPS mm
 * @param grid   the level's grid the samples were taken from
 */
record SampleSet(float[] qx, float[] qy, float[] qz, float[] value, double[] centre, Geometry grid) {

    int size() {
        return value.length;
    }

    /** Samples of {@code level} within {@code marginMm} of tissue, positions relative to {@code centre}. */
    static SampleSet of(PyramidLevel level, double[] centre, double marginMm) {
        Geometry g = level.geometry();
        boolean[] mask = dilate(level.tissue(), marginMm);
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        float[] qx = new float[n];
        float[] qy = new float[n];
        float[] qz = new float[n];
        float[] v = new float[n];
        float[] img = level.image().values();
        double[] m = g.indexToPhysicalMatrix();
        double[] o = g.origin();
        int s = 0;
        int idx = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, idx++) {
                    if (!mask[idx]) {
                        continue;
                    }
                    qx[s] = (float) (o[0] + m[0] * i + m[1] * j + m[2] * k - centre[0]);
                    qy[s] = (float) (o[1] + m[3] * i + m[4] * j + m[5] * k - centre[1]);
                    qz[s] = (float) (o[2] + m[6] * i + m[7] * j + m[8] * k - centre[2]);
                    v[s] = img[idx];
                    s++;
                }
            }
        }
        return new SampleSet(qx, qy, qz, v, centre.clone(), g);
    }

    /**
     * The samples whose template point under {@code x = M·q + b} lies in {@code templateMask}
     * (a voxel mask on {@code templateGrid}, nearest voxel; outside the grid counts as outside).
     *
     * <p>// why: a scan shows things the template does not (a table, a headrest touching the head);
     * once the head is roughly in place, only the template's head and its margin are compared.
     */
    SampleSet within(boolean[] templateMask, Geometry templateGrid, double[] m, double[] b) {
        double[] k = org.triplane.imaging.geometry.Matrix3.multiply(templateGrid.physicalToIndexMatrix(), m);
        double[] o = templateGrid.origin();
        double[] k0 = org.triplane.imaging.geometry.Matrix3.apply(templateGrid.physicalToIndexMatrix(),
                new double[] {b[0] - o[0], b[1] - o[1], b[2] - o[2]});
        int nx = templateGrid.nx();
        int ny = templateGrid.ny();
        int nz = templateGrid.nz();
        int n = size();
        boolean[] keep = new boolean[n];
        int count = 0;
        for (int s = 0; s < n; s++) {
            double x = qx[s];
            double y = qy[s];
            double z = qz[s];
            int i = (int) Math.floor(k[0] * x + k[1] * y + k[2] * z + k0[0] + 0.5);
            int j = (int) Math.floor(k[3] * x + k[4] * y + k[5] * z + k0[1] + 0.5);
            int l = (int) Math.floor(k[6] * x + k[7] * y + k[8] * z + k0[2] + 0.5);
            if (i >= 0 && j >= 0 && l >= 0 && i < nx && j < ny && l < nz && templateMask[i + nx * (j + ny * l)]) {
                keep[s] = true;
                count++;
            }
        }
        float[] fx = new float[count];
        float[] fy = new float[count];
        float[] fz = new float[count];
        float[] fv = new float[count];
        for (int s = 0, t = 0; s < n; s++) {
            if (keep[s]) {
                fx[t] = qx[s];
                fy[t] = qy[s];
                fz[t] = qz[s];
                fv[t] = value[s];
                t++;
            }
        }
        return new SampleSet(fx, fy, fz, fv, centre, grid);
    }

    /** Voxels within {@code marginMm} (a box, per axis in voxels) of a voxel with tissue share above 0. */
    static boolean[] dilate(FloatGrid tissue, double marginMm) {
        Geometry g = tissue.geometry();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        double[] sp = g.spacing();
        int[] r = new int[3];
        for (int a = 0; a < 3; a++) {
            r[a] = (int) Math.ceil(marginMm / sp[a] - 1e-9);
        }
        float[] t = tissue.values();
        boolean[] a = new boolean[t.length];
        for (int i = 0; i < t.length; i++) {
            a[i] = t[i] > 0;
        }
        boolean[] b = new boolean[t.length];
        // why: a box is the product of three 1-D dilations, each a running count along one axis
        pass(a, b, nx, ny, nz, r[0], 1, nx);
        pass(b, a, ny, nx, nz, r[1], nx, 1);
        boolean[] c = new boolean[t.length];
        passZ(a, c, nx, ny, nz, r[2]);
        return c;
    }

    /** 1-D dilation along an axis of length {@code n} and stride {@code stride} (x or y). */
    private static void pass(boolean[] in, boolean[] out, int n, int m, int nz, int radius, int stride, int otherStride) {
        int plane = in.length / nz;
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < m; j++) {
                int base = k * plane + j * otherStride;
                dilateLine(in, out, base, stride, n, radius);
            }
        }
    }

    private static void passZ(boolean[] in, boolean[] out, int nx, int ny, int nz, int radius) {
        int plane = nx * ny;
        for (int p = 0; p < plane; p++) {
            dilateLine(in, out, p, plane, nz, radius);
        }
    }

    private static void dilateLine(boolean[] in, boolean[] out, int base, int stride, int n, int radius) {
        int last = -1_000_000;
        // forward: distance to the last set voxel at or before i
        for (int i = 0; i < n; i++) {
            if (in[base + i * stride]) {
                last = i;
            }
            out[base + i * stride] = i - last <= radius;
        }
        int nextSet = 1_000_000;
        for (int i = n - 1; i >= 0; i--) {
            if (in[base + i * stride]) {
                nextSet = i;
            }
            if (nextSet - i <= radius) {
                out[base + i * stride] = true;
            }
        }
    }
}
