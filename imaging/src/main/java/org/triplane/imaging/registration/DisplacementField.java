package org.triplane.imaging.registration;

import java.util.Arrays;

/**
 * A smooth displacement {@code d(x)} of atlas space (LPS mm → mm), trilinear between the nodes of a
 * regular, axis-aligned control grid; beyond the grid's edge the edge value holds.
 *
 * <p>Nodes are x fastest ({@code node = i + nx·(j + ny·k)}) at {@code origin + spacing·(i, j, k)};
 * {@code values} holds three numbers per node, {@code (dx, dy, dz)} of node {@code n} at
 * {@code 3n, 3n+1, 3n+2}, in mm.
 *
 * @param origin  position of node (0, 0, 0), atlas LPS mm
 * @param spacing node spacing, mm (the same on every axis)
 * @param dims    nodes along x, y and z (each ≥ 2)
 * @param values  the displacement at every node, mm
 */
public record DisplacementField(double[] origin, double spacing, int[] dims, double[] values) {

    public DisplacementField {
        origin = origin.clone();
        dims = dims.clone();
        values = values.clone();
        if (origin.length != 3 || dims.length != 3 || dims[0] < 2 || dims[1] < 2 || dims[2] < 2) {
            throw new IllegalArgumentException("a displacement field needs an origin and at least 2 nodes per axis, got "
                    + Arrays.toString(dims));
        }
        if (!(spacing > 0) || !Double.isFinite(spacing)) {
            throw new IllegalArgumentException("node spacing must be a positive number of mm, got " + spacing);
        }
        if (values.length != 3 * dims[0] * dims[1] * dims[2]) {
            throw new IllegalArgumentException("a field of " + Arrays.toString(dims) + " nodes needs "
                    + 3 * dims[0] * dims[1] * dims[2] + " values, got " + values.length);
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("displacements must be finite");
            }
        }
    }

    /** No displacement anywhere, on a field covering {@code [min, max]} (atlas LPS mm) at {@code spacing}. */
    public static DisplacementField zero(double[] min, double[] max, double spacing) {
        int[] dims = new int[3];
        for (int a = 0; a < 3; a++) {
            dims[a] = Math.max(2, (int) Math.ceil((max[a] - min[a]) / spacing - 1e-9) + 1);
        }
        return new DisplacementField(min, spacing, dims, new double[3 * dims[0] * dims[1] * dims[2]]);
    }

    @Override
    public double[] origin() {
        return origin.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    int nodeCount() {
        return dims[0] * dims[1] * dims[2];
    }

    /** The same grid with other node values (3 per node, mm). */
    DisplacementField withValues(double[] newValues) {
        return new DisplacementField(origin, spacing, dims, newValues);
    }

    /** {@code x + d(x)}: where atlas point {@code x} lands, written to {@code out} (may be {@code x}). */
    public void displace(double[] x, double[] out) {
        Cell c = cell(x[0], x[1], x[2]);
        double[] weights = new double[8];
        Cell.weights(c.fx(), c.fy(), c.fz(), weights);
        double dx = 0;
        double dy = 0;
        double dz = 0;
        for (int n = 0; n < 8; n++) {
            int v = 3 * c.node(n, dims);
            double w = weights[n];
            dx += w * values[v];
            dy += w * values[v + 1];
            dz += w * values[v + 2];
        }
        out[0] = x[0] + dx;
        out[1] = x[1] + dy;
        out[2] = x[2] + dz;
    }

    /** Header numbers before the node values in {@link #toArray()}: origin (3), spacing, dims (3). */
    private static final int HEADER = 7;

    /**
     * The field as one array, for storage: {@code origin x, y, z (mm), spacing (mm), nodes along x, y, z},
     * then the node values as {@link #values()} orders them.
     */
    public double[] toArray() {
        double[] out = new double[HEADER + values.length];
        out[0] = origin[0];
        out[1] = origin[1];
        out[2] = origin[2];
        out[3] = spacing;
        out[4] = dims[0];
        out[5] = dims[1];
        out[6] = dims[2];
        System.arraycopy(values, 0, out, HEADER, values.length);
        return out;
    }

    /**
     * Reads {@link #toArray()}'s form.
     *
     * @throws IllegalArgumentException when the array is too short, its node counts are not whole
     *                                  numbers or do not match the values that follow
     */
    public static DisplacementField fromArray(double[] a) {
        if (a == null || a.length < HEADER) {
            throw new IllegalArgumentException("a stored displacement field needs at least " + HEADER + " numbers, got "
                    + (a == null ? "none" : a.length));
        }
        int[] dims = new int[3];
        for (int i = 0; i < 3; i++) {
            double d = a[4 + i];
            if (d != Math.rint(d) || d < 2 || d > 1_000) {
                throw new IllegalArgumentException("stored displacement field: node count " + d + " along "
                        + "xyz".charAt(i) + " is not a whole number from 2 to 1000");
            }
            dims[i] = (int) d;
        }
        return new DisplacementField(new double[] {a[0], a[1], a[2]}, a[3], dims,
                java.util.Arrays.copyOfRange(a, HEADER, a.length));
    }

    /**
     * The least Jacobian determinant of {@code x ↦ x + d(x)} over the corners of every control cell
     * ({@link CornerJacobians}): ≤ 0 where the map folds, 1 for no displacement.
     */
    public double leastJacobian() {
        return CornerJacobians.least(this);
    }

    /** The largest displacement length over the nodes, mm. */
    public double maxDisplacementMm() {
        double max = 0;
        for (int n = 0; n < values.length; n += 3) {
            max = Math.max(max, Math.sqrt(values[n] * values[n] + values[n + 1] * values[n + 1] + values[n + 2] * values[n + 2]));
        }
        return max;
    }

    /** This field's displacement read at the nodes of a finer (or other) grid. */
    DisplacementField resampledTo(double[] newOrigin, double newSpacing, int[] newDims) {
        double[] v = new double[3 * newDims[0] * newDims[1] * newDims[2]];
        double[] p = new double[3];
        double[] q = new double[3];
        int n = 0;
        for (int k = 0; k < newDims[2]; k++) {
            for (int j = 0; j < newDims[1]; j++) {
                for (int i = 0; i < newDims[0]; i++, n++) {
                    p[0] = newOrigin[0] + newSpacing * i;
                    p[1] = newOrigin[1] + newSpacing * j;
                    p[2] = newOrigin[2] + newSpacing * k;
                    displace(p, q);
                    v[3 * n] = q[0] - p[0];
                    v[3 * n + 1] = q[1] - p[1];
                    v[3 * n + 2] = q[2] - p[2];
                }
            }
        }
        return new DisplacementField(newOrigin, newSpacing, newDims, v);
    }

    /** The control cell holding {@code (x, y, z)} and its trilinear weights (clamped to the grid). */
    Cell cell(double x, double y, double z) {
        double u = clamp((x - origin[0]) / spacing, dims[0] - 1);
        double v = clamp((y - origin[1]) / spacing, dims[1] - 1);
        double w = clamp((z - origin[2]) / spacing, dims[2] - 1);
        int i = Math.min((int) u, dims[0] - 2);
        int j = Math.min((int) v, dims[1] - 2);
        int k = Math.min((int) w, dims[2] - 2);
        return new Cell(i + dims[0] * (j + dims[1] * k), u - i, v - j, w - k);
    }

    private static double clamp(double u, int max) {
        return u < 0 ? 0 : (u > max ? max : u);
    }

    /**
     * A control cell: its first node and the point's fractions along x, y and z; corner {@code n}
     * (0..7) is {@code (n & 1, n >> 1 & 1, n >> 2 & 1)} from the first node.
     */
    record Cell(int base, double fx, double fy, double fz) {
        int node(int n, int[] dims) {
            return node(base, n, dims);
        }

        /** Corner {@code n}'s node of the cell starting at node {@code base}, on a grid of {@code dims} nodes. */
        static int node(int base, int n, int[] dims) {
            return base + (n & 1) + dims[0] * (((n >> 1) & 1) + dims[1] * ((n >> 2) & 1));
        }

        /**
         * The eight corners' trilinear weights at fractions {@code fx, fy, fz} into {@code out}, in
         * corner order: corner {@code n}'s is its x share times its y share, then times its z share.
         */
        static void weights(double fx, double fy, double fz, double[] out) {
            double x0y0 = (1 - fx) * (1 - fy);
            double x1y0 = fx * (1 - fy);
            double x0y1 = (1 - fx) * fy;
            double x1y1 = fx * fy;
            double z0 = 1 - fz;
            out[0] = x0y0 * z0;
            out[1] = x1y0 * z0;
            out[2] = x0y1 * z0;
            out[3] = x1y1 * z0;
            out[4] = x0y0 * fz;
            out[5] = x1y0 * fz;
            out[6] = x0y1 * fz;
            out[7] = x1y1 * fz;
        }
    }
}
