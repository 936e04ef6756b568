package org.triplane.imaging.volume;

import java.util.Arrays;
import org.triplane.imaging.geometry.Matrix3;

/**
 * The voxel grid of a 3-D volume in ITK's convention.
 *
 * <ul>
 *   <li>{@code nx, ny, nz}: voxels along array axes i, j, k; arrays are stored x fastest
 *       ({@code index = i + nx * (j + ny * k)}).</li>
 *   <li>{@code spacing}: voxel size along i, j, k in mm.</li>
 *   <li>{@code origin}: physical position of voxel (0,0,0)'s centre, LPS, mm.</li>
 *   <li>{@code direction}: 3×3 direction cosines, row-major; column c is the LPS unit vector of
 *       array axis c.</li>
 * </ul>
 * A voxel index (i,j,k) maps to the LPS point {@code origin + direction · diag(spacing) · (i,j,k)},
 * exactly as {@code itk::ImageBase::TransformIndexToPhysicalPoint}.
 */
public record Geometry(int nx, int ny, int nz, double[] spacing, double[] origin, double[] direction) {

    public Geometry {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + nx + "×" + ny + "×" + nz);
        }
        if (spacing.length != 3 || origin.length != 3 || direction.length != 9) {
            throw new IllegalArgumentException("spacing and origin need 3 numbers, direction 9");
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("spacing must be positive and finite: " + Arrays.toString(spacing));
            }
        }
        for (double v : origin) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("origin must be finite: " + Arrays.toString(origin));
            }
        }
        double det = Matrix3.determinant(direction);
        if (!Double.isFinite(det) || det == 0) {
            throw new IllegalArgumentException("direction matrix is singular: " + Arrays.toString(direction));
        }
        spacing = spacing.clone();
        origin = origin.clone();
        direction = direction.clone();
    }

    /** An axis-aligned grid (identity direction). */
    public static Geometry axisAligned(int nx, int ny, int nz, double[] spacing, double[] origin) {
        return new Geometry(nx, ny, nz, spacing, origin, Matrix3.identity());
    }

    public long voxelCount() {
        return (long) nx * ny * nz;
    }

    public int[] dims() {
        return new int[] {nx, ny, nz};
    }

    /** {@code direction · diag(spacing)}: maps an index step to an LPS displacement in mm. */
    public double[] indexToPhysicalMatrix() {
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r * 3 + c] = direction[r * 3 + c] * spacing[c];
            }
        }
        return m;
    }

    /** Inverse of {@link #indexToPhysicalMatrix()}. */
    public double[] physicalToIndexMatrix() {
        return Matrix3.inverse(indexToPhysicalMatrix());
    }

    /** LPS point (mm) of a continuous index. */
    public double[] indexToPhysical(double i, double j, double k) {
        double[] m = indexToPhysicalMatrix();
        return new double[] {
            origin[0] + m[0] * i + m[1] * j + m[2] * k,
            origin[1] + m[3] * i + m[4] * j + m[5] * k,
            origin[2] + m[6] * i + m[7] * j + m[8] * k,
        };
    }

    /** Continuous index of an LPS point (mm). */
    public double[] physicalToIndex(double[] p) {
        double[] d = {p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]};
        return Matrix3.apply(physicalToIndexMatrix(), d);
    }

    /** Physical centre of the grid (LPS, mm): the point halfway between the first and last voxel. */
    public double[] centre() {
        return indexToPhysical((nx - 1) / 2.0, (ny - 1) / 2.0, (nz - 1) / 2.0);
    }

    /** True when both grids have the same dimensions and agree on geometry within {@code tolerance} (mm / cosine). */
    public boolean sameGrid(Geometry o, double tolerance) {
        if (nx != o.nx || ny != o.ny || nz != o.nz) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (Math.abs(spacing[i] - o.spacing[i]) > tolerance || Math.abs(origin[i] - o.origin[i]) > tolerance) {
                return false;
            }
        }
        for (int i = 0; i < 9; i++) {
            if (Math.abs(direction[i] - o.direction[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }

    @Override
    public double[] origin() {
        return origin.clone();
    }

    @Override
    public double[] direction() {
        return direction.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && nx == g.nx && ny == g.ny && nz == g.nz
                && Arrays.equals(spacing, g.spacing) && Arrays.equals(origin, g.origin)
                && Arrays.equals(direction, g.direction);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {nx, ny, nz}) * 31 + Arrays.hashCode(spacing) * 17
                + Arrays.hashCode(origin) * 7 + Arrays.hashCode(direction);
    }

    @Override
    public String toString() {
        return "Geometry[" + nx + "×" + ny + "×" + nz + ", spacing " + Arrays.toString(spacing)
                + " mm, origin " + Arrays.toString(origin) + " (LPS mm), direction " + Arrays.toString(direction) + "]";
    }
}
