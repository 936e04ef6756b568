package org.triplane.imaging.registration;

import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.volume.Geometry;

/**
 * The deformable stage's objective ({@link WarpProblem}: NCC between the scan's samples and the
 * template read at {@code a + d(a)}, less the strain and fold penalties) in plain Java on the CPU,
 * with its gradient with respect to every node value of the {@link DisplacementField}.
 *
 * <p>// why: the trilinear weights of each sample's fixed point {@code a} never change, so they are
 * computed once; each evaluation is one pass for the template values and their gradients and one
 * for the node gradients. Sums run in fixed chunks in a fixed order: values do not depend on the
 * thread count.
 */
final class WarpMetric implements WarpObjective {
    private static final int CHUNK = 8192;

    private final int n;
    private final float[] ax;
    private final float[] ay;
    private final float[] az;
    private final float[] f;
    private final int[] base;
    private final float[] wx;
    private final float[] wy;
    private final float[] wz;
    private final DisplacementField grid;
    /** The control grid's node counts (read per sample and corner: kept, not cloned from the field each time). */
    private final int[] dims;
    /** Per cell corner (0..7), the offset of its x value in the node values from the cell's first node's. */
    private final int[] cornerOffset = new int[8];
    /**
     * Per chunk of samples, the node values its samples move: from {@code chunkFrom[c]} (inclusive) to
     * {@code chunkTo[c]} (exclusive). why: a chunk holds neighbouring scan voxels, which move a slab of
     * the control grid; its gradient is gathered over that slab, not over every node.
     */
    private final int[] chunkFrom;
    private final int[] chunkTo;
    private final float[] template;
    private final Geometry tg;
    private final double[] toIndex;
    private final double[] tOrigin;
    private final float outside;
    private final double smoothness;
    private final double foldWeight;
    private final int threads;

    /** The objective of {@code problem}, evaluated on {@code threads} worker threads. */
    WarpMetric(WarpProblem problem, int threads) {
        float[] atlasPoints = problem.atlasPoints();
        float[] values = problem.values();
        DisplacementField grid = problem.grid();
        this.n = values.length;
        this.ax = new float[n];
        this.ay = new float[n];
        this.az = new float[n];
        this.f = values;
        this.base = new int[n];
        this.wx = new float[n];
        this.wy = new float[n];
        this.wz = new float[n];
        for (int i = 0; i < n; i++) {
            ax[i] = atlasPoints[3 * i];
            ay[i] = atlasPoints[3 * i + 1];
            az[i] = atlasPoints[3 * i + 2];
            DisplacementField.Cell c = grid.cell(ax[i], ay[i], az[i]);
            base[i] = c.base();
            wx[i] = (float) c.fx();
            wy[i] = (float) c.fy();
            wz[i] = (float) c.fz();
        }
        this.grid = grid;
        this.dims = grid.dims();
        for (int corner = 0; corner < 8; corner++) {
            cornerOffset[corner] = 3 * DisplacementField.Cell.node(0, corner, dims);
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        this.chunkFrom = new int[chunks];
        this.chunkTo = new int[chunks];
        for (int c = 0; c < chunks; c++) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (int i = c * CHUNK, end = Math.min(n, (c + 1) * CHUNK); i < end; i++) {
                lo = Math.min(lo, base[i]);
                hi = Math.max(hi, base[i]);
            }
            chunkFrom[c] = 3 * lo;
            chunkTo[c] = 3 * hi + cornerOffset[7] + 3;
        }
        this.template = problem.template();
        this.tg = problem.templateGrid();
        this.toIndex = tg.physicalToIndexMatrix();
        this.tOrigin = tg.origin();
        this.outside = problem.outside();
        this.smoothness = problem.smoothness();
        this.foldWeight = problem.foldWeight();
        this.threads = threads;
    }

    int samples() {
        return n;
    }

    @Override
    public Value evaluate(double[] d) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        float[] m = new float[n];
        float[] gm = new float[3 * n];
        double[][] sums = new double[chunks][];
        AtomicInteger next = new AtomicInteger();
        Workers.run(Math.min(threads, chunks), "warp-metric", () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                sums[c] = sample(d, c * CHUNK, Math.min(n, (c + 1) * CHUNK), m, gm);
            }
        });
        double sf = 0, sm = 0, sff = 0, smm = 0, sfm = 0;
        for (double[] s : sums) {
            sf += s[0];
            sm += s[1];
            sff += s[2];
            smm += s[3];
            sfm += s[4];
        }
        double vf = sff - sf * sf / n;
        double vm = smm - sm * sm / n;
        double cov = sfm - sf * sm / n;
        if (!(vf > 1e-9 * n) || !(vm > 1e-9 * n)) {
            return new Value(Double.NaN, null);
        }
        double norm = Math.sqrt(vf * vm);
        double fMean = sf / n;
        double mMean = sm / n;
        double ratio = cov / vm;
        int params = d.length;
        double[][] parts = new double[chunks][];
        AtomicInteger nextGrad = new AtomicInteger();
        Workers.run(Math.min(threads, chunks), "warp-gradient", () -> {
            double[] weights = new double[8];
            for (int c = nextGrad.getAndIncrement(); c < chunks; c = nextGrad.getAndIncrement()) {
                // g[v − from] holds node value v's share of this chunk
                int from = chunkFrom[c];
                double[] g = new double[chunkTo[c] - from];
                for (int i = c * CHUNK, end = Math.min(n, (c + 1) * CHUNK); i < end; i++) {
                    // dNCC/dm_i
                    double w = ((f[i] - fMean) - ratio * (m[i] - mMean)) / norm;
                    if (w == 0 || (gm[3 * i] == 0 && gm[3 * i + 1] == 0 && gm[3 * i + 2] == 0)) {
                        continue;
                    }
                    cornerWeights(i, weights);
                    int first = 3 * base[i] - from;
                    for (int corner = 0; corner < 8; corner++) {
                        double cw = w * weights[corner];
                        int v = first + cornerOffset[corner];
                        g[v] += cw * gm[3 * i];
                        g[v + 1] += cw * gm[3 * i + 1];
                        g[v + 2] += cw * gm[3 * i + 2];
                    }
                }
                parts[c] = g;
            }
        });
        // why chunk by chunk in a fixed order: the sums, and so the ascent, do not depend on the thread count
        double[] gradient = new double[params];
        for (int c = 0; c < chunks; c++) {
            double[] p = parts[c];
            int from = chunkFrom[c];
            for (int i = 0; i < p.length; i++) {
                gradient[from + i] += p[i];
            }
        }
        double penalty = smoothness == 0 ? 0 : smoothnessPenalty(d, gradient);
        if (foldWeight > 0) {
            penalty += CornerJacobians.penalise(d, dims, grid.spacing(), WarpProblem.FOLD_FLOOR, foldWeight, gradient);
        }
        return new Value(cov / norm - penalty, gradient);
    }

    /** {@code λ · mean strain²}; subtracts its gradient from {@code gradient}. */
    private double smoothnessPenalty(double[] d, double[] gradient) {
        int nodes = dims[0] * dims[1] * dims[2];
        double scale = smoothness / (nodes * grid.spacing() * grid.spacing());
        int[] stride = {1, dims[0], dims[0] * dims[1]};
        double sum = 0;
        for (int k = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++) {
                    int node = i + dims[0] * (j + dims[1] * k);
                    int[] at = {i, j, k};
                    for (int axis = 0; axis < 3; axis++) {
                        if (at[axis] + 1 >= dims[axis]) {
                            continue;
                        }
                        int other = node + stride[axis];
                        for (int c = 0; c < 3; c++) {
                            double diff = d[3 * other + c] - d[3 * node + c];
                            sum += diff * diff;
                            gradient[3 * other + c] -= 2 * scale * diff;
                            gradient[3 * node + c] += 2 * scale * diff;
                        }
                    }
                }
            }
        }
        return scale * sum;
    }

    /** Sample {@code i}'s eight corner weights into {@code out}, in corner order ({@link DisplacementField.Cell#weights}). */
    private void cornerWeights(int i, double[] out) {
        DisplacementField.Cell.weights(wx[i], wy[i], wz[i], out);
    }

    /** Template values and physical gradients at {@code a + d(a)} for samples {@code from..to}; the 5 NCC sums. */
    private double[] sample(double[] d, int from, int to, float[] m, float[] gm) {
        int nx = tg.nx();
        int ny = tg.ny();
        int nz = tg.nz();
        int nxy = nx * ny;
        double[] k = toIndex;
        double sf = 0, sm = 0, sff = 0, smm = 0, sfm = 0;
        double[] g3 = new double[3];
        double[] weights = new double[8];
        for (int i = from; i < to; i++) {
            double dx = 0, dy = 0, dz = 0;
            cornerWeights(i, weights);
            int first = 3 * base[i];
            for (int corner = 0; corner < 8; corner++) {
                double w = weights[corner];
                int v = first + cornerOffset[corner];
                dx += w * d[v];
                dy += w * d[v + 1];
                dz += w * d[v + 2];
            }
            double px = ax[i] + dx - tOrigin[0];
            double py = ay[i] + dy - tOrigin[1];
            double pz = az[i] + dz - tOrigin[2];
            double ix = k[0] * px + k[1] * py + k[2] * pz;
            double iy = k[3] * px + k[4] * py + k[5] * pz;
            double iz = k[6] * px + k[7] * py + k[8] * pz;
            int x0 = (int) Math.floor(ix);
            int y0 = (int) Math.floor(iy);
            int z0 = (int) Math.floor(iz);
            double value;
            if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= nx - 1 || y0 >= ny - 1 || z0 >= nz - 1) {
                value = outside;
            } else {
                value = Trilinear.at(template, nx, nxy, x0, y0, z0, ix - x0, iy - y0, iz - z0, g3);
                double gi = g3[0];
                double gj = g3[1];
                double gk = g3[2];
                // physical gradient = (index Jacobian)ᵀ · index gradient
                gm[3 * i] = (float) (k[0] * gi + k[3] * gj + k[6] * gk);
                gm[3 * i + 1] = (float) (k[1] * gi + k[4] * gj + k[7] * gk);
                gm[3 * i + 2] = (float) (k[2] * gi + k[5] * gj + k[8] * gk);
            }
            m[i] = (float) value;
            double fv = f[i];
            sf += fv;
            sm += value;
            sff += fv * fv;
            smm += value * value;
            sfm += fv * value;
        }
        return new double[] {sf, sm, sff, smm, sfm};
    }
}
