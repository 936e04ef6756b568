package org.triplane.imaging.registration;

import org.triplane.imaging.volume.Geometry;

/**
 * What the deformable stage maximises on one pyramid level, as data: every {@link WarpObjective}
 * computes the same function of the control grid's node values {@code d}.
 *
 * <p>Value: {@code NCC(f, m) − λ·S(d) − μ·F(d)}, where
 * <ul>
 *   <li>{@code f_i} are the scan's samples ({@link #values}) and {@code m_i} the template read
 *       trilinearly at {@code a_i + d(a_i)}, {@code a_i} the sample's affine atlas point and
 *       {@code d(a_i)} the field between the eight nodes of its control cell ({@link #sampleCorners});
 *       a point whose lower template voxel is not at index 0..n−2 on every axis reads {@link #outside}
 *       (and moves nothing);</li>
 *   <li>{@code S(d)} is the mean over nodes of {@code Σ_axis |Δd / spacing|²}, the squared strain
 *       between neighbouring nodes along x, y and z (dimensionless, like the NCC);</li>
 *   <li>{@code F(d) = Σ max(0, τ − det J)²} over the eight corners of every control cell
 *       ({@link CornerJacobians}), {@code τ} = {@value #FOLD_FLOOR}.</li>
 * </ul>
 * The value is NaN (no gradient) when either side's variance is below {@code 1e-9} per sample.
 *
 * <p>The arrays are shared, not copied: nobody changes them once the problem is made.
 *
 * @param atlasPoints  the samples' affine atlas points, 3 per sample (x, y, z), LPS mm
 * @param values       the samples' image values {@code f} (windowed HU, less their local mean when high-passed)
 * @param grid         the control grid (its node values are ignored: {@code d} is the objective's argument)
 * @param templateGrid the template's grid (x fastest, LPS mm)
 * @param template     the template's values on that grid, the same kind of values as {@code values}
 * @param outside      what the template reads beyond its grid
 * @param smoothness   {@code λ} (≥ 0)
 * @param foldWeight   {@code μ} (≥ 0; 0: folds are not penalised)
 */
public record WarpProblem(float[] atlasPoints, float[] values, DisplacementField grid, Geometry templateGrid,
                          float[] template, float outside, double smoothness, double foldWeight) {
    /**
     * The least corner Jacobian determinant left unpenalised, {@code τ}. why: a margin above 0, so
     * the ascent is pushed back before a fold, where the NCC's pull cannot be outweighed any more
     */
    public static final double FOLD_FLOOR = 0.25;

    public WarpProblem {
        if (values.length == 0 || atlasPoints.length != 3 * values.length) {
            throw new IllegalArgumentException("a warp problem needs at least one sample and 3 atlas coordinates per "
                    + "sample, got " + values.length + " samples and " + atlasPoints.length + " coordinates");
        }
        if (template.length != templateGrid.voxelCount()) {
            throw new IllegalArgumentException("template grid has " + templateGrid.voxelCount() + " voxels but "
                    + template.length + " values");
        }
        if (!(smoothness >= 0) || !(foldWeight >= 0)) {
            throw new IllegalArgumentException("smoothness and fold weight must be ≥ 0, got " + smoothness + " and "
                    + foldWeight);
        }
    }

    /** Number of samples. */
    public int samples() {
        return values.length;
    }

    /**
     * Each sample's control cell: its eight corner nodes and their trilinear weights at the sample's
     * atlas point, 8 per sample in {@code DisplacementField}'s corner order (corner {@code c} is
     * {@code (c & 1, c >> 1 & 1, c >> 2 & 1)} nodes from the cell's first along x, y, z), so that
     * {@code d(a_i) = Σ_c weights[8i + c] · d(node nodes[8i + c])}.
     */
    public SampleCorners sampleCorners() {
        int n = samples();
        int[] dims = grid.dims();
        int[] nodes = new int[8 * n];
        float[] weights = new float[8 * n];
        double[] w = new double[8];
        for (int i = 0; i < n; i++) {
            DisplacementField.Cell cell = grid.cell(atlasPoints[3 * i], atlasPoints[3 * i + 1], atlasPoints[3 * i + 2]);
            DisplacementField.Cell.weights(cell.fx(), cell.fy(), cell.fz(), w);
            for (int c = 0; c < 8; c++) {
                nodes[8 * i + c] = cell.node(c, dims);
                weights[8 * i + c] = (float) w[c];
            }
        }
        return new SampleCorners(nodes, weights);
    }

    /**
     * The control-grid corners of every sample, 8 per sample ({@link #sampleCorners}).
     *
     * @param nodes   node indices ({@code i + nx·(j + ny·k)}), 8 per sample
     * @param weights trilinear weights, 8 per sample, summing to 1
     */
    public record SampleCorners(int[] nodes, float[] weights) {
    }
}
