package org.triplane.imaging.registration;

/**
 * The Jacobian determinant of {@code x ↦ x + d(x)} at the eight corners of every control cell of a
 * {@link DisplacementField}, and a penalty on those that fall below a floor.
 *
 * <p>Inside a trilinear cell, the derivative along an axis at a corner is the difference of the two
 * node values on the cell's edge along that axis, over the node spacing; so the Jacobian at corner
 * {@code c} is {@code J_ab = δ_ab + (d_a(upper_b) − d_a(lower_b)) / h}, with {@code upper_b} and
 * {@code lower_b} the ends of the edge from {@code c} along axis {@code b}. A determinant ≤ 0 means
 * the map folds there: atlas tissue turned inside out, labels carried onto the wrong side of a
 * boundary. Each cell's corners are taken with that cell's edges, so a node shared by cells is
 * checked once per cell that holds it.
 *
 * <p>Penalty: {@code μ · Σ max(0, τ − det J)²} over all cells and corners — zero where the map is
 * fold-free with margin {@code τ}, and growing as a corner approaches or passes a fold. A sum, not
 * a mean, so that one fold in a large grid still weighs.
 */
final class CornerJacobians {
    private CornerJacobians() {
    }

    /** The least corner determinant over the whole field (1 for no displacement). */
    static double least(DisplacementField field) {
        return visit(field.values(), field.dims(), field.spacing(), Double.NaN, 0, null)[0];
    }

    /**
     * Adds {@code μ · Σ max(0, τ − det J)²} to nothing and returns it; subtracts its gradient with
     * respect to every node value from {@code gradient} (the objective is maximised).
     *
     * @param values   node values, 3 per node (mm), as {@link DisplacementField#values()} orders them
     * @param dims     nodes along x, y and z
     * @param spacing  node spacing, mm
     * @param floor    {@code τ}, the least determinant left unpenalised
     * @param weight   {@code μ}
     * @param gradient the objective's gradient, same layout as {@code values}
     * @return the penalty
     */
    static double penalise(double[] values, int[] dims, double spacing, double floor, double weight, double[] gradient) {
        return visit(values, dims, spacing, floor, weight, gradient)[1];
    }

    /** One pass over every cell corner: {least determinant, penalty}; the penalty's gradient when asked. */
    private static double[] visit(double[] d, int[] dims, double h, double floor, double weight, double[] gradient) {
        int nx = dims[0];
        int nxy = dims[0] * dims[1];
        int[] stride = {1, nx, nxy};
        double least = Double.POSITIVE_INFINITY;
        double penalty = 0;
        double[] j = new double[9];
        // the lower node of this corner's edge along each axis, found once for the determinant and its gradient
        int[] lower = new int[3];
        for (int k = 0; k + 1 < dims[2]; k++) {
            for (int y = 0; y + 1 < dims[1]; y++) {
                for (int x = 0; x + 1 < nx; x++) {
                    int base = x + nx * (y + dims[1] * k);
                    for (int corner = 0; corner < 8; corner++) {
                        // the edge along axis b from this corner runs between the cell's lower and upper node on b
                        int here = base + (corner & 1) + nx * (((corner >> 1) & 1) + dims[1] * ((corner >> 2) & 1));
                        for (int b = 0; b < 3; b++) {
                            lower[b] = ((corner >> b) & 1) == 1 ? here - stride[b] : here;
                            int upper = lower[b] + stride[b];
                            for (int a = 0; a < 3; a++) {
                                j[3 * a + b] = (a == b ? 1 : 0) + (d[3 * upper + a] - d[3 * lower[b] + a]) / h;
                            }
                        }
                        double det = det(j);
                        least = Math.min(least, det);
                        if (!(det < floor)) {
                            continue;
                        }
                        double shortfall = floor - det;
                        penalty += weight * shortfall * shortfall;
                        if (gradient == null) {
                            continue;
                        }
                        // d(penalty)/d(det) = −2μ·short; d(det)/dJ_ab = cofactor_ab; dJ_ab/d d_a(upper|lower) = ±1/h
                        double scale = 2 * weight * shortfall / h;
                        for (int b = 0; b < 3; b++) {
                            int upper = lower[b] + stride[b];
                            for (int a = 0; a < 3; a++) {
                                double g = scale * cofactor(j, a, b);
                                // the objective subtracts the penalty: its gradient gains −d(penalty)/d(value)
                                gradient[3 * upper + a] += g;
                                gradient[3 * lower[b] + a] -= g;
                            }
                        }
                    }
                }
            }
        }
        return new double[] {least == Double.POSITIVE_INFINITY ? 1 : least, penalty};
    }

    private static double det(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    /** The cofactor of entry (row a, column b): d det / d m_ab. */
    private static double cofactor(double[] m, int a, int b) {
        int r0 = a == 0 ? 1 : 0;
        int r1 = a == 2 ? 1 : 2;
        int c0 = b == 0 ? 1 : 0;
        int c1 = b == 2 ? 1 : 2;
        double minor = m[3 * r0 + c0] * m[3 * r1 + c1] - m[3 * r0 + c1] * m[3 * r1 + c0];
        return ((a + b) % 2 == 0 ? 1 : -1) * minor;
    }
}
