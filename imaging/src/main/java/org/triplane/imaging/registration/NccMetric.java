package org.triplane.imaging.registration;

import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.volume.Geometry;

/**
 * Normalised cross-correlation between the scan's samples ({@link SampleSet}, fixed) and the
 * template (moving, a windowed {@link FloatGrid} read by trilinear interpolation), with its
 * analytic gradient with respect to the 12 numbers of the map
 * {@code x = M·q + b} (scan sample offset {@code q} → template point {@code x}, both LPS mm).
 *
 * <p>// why: NCC does not assume equal intensities, only a linear relation, and its gradient costs
 * one pass over the samples. A sample that maps outside the template reads the window's low bound
 * (air) with zero gradient, so it still counts in the statistics.
 *
 * <p>Samples are summed in fixed chunks in a fixed order, so values do not depend on the thread count.
 */
final class NccMetric {
    private static final int CHUNK = 8192;
    /** Accumulators per chunk: 5 sums (f, m, f², m², f·m), then 3 × 12 gradient sums. */
    private static final int SUMS = 5 + 36;

    private final SampleSet samples;
    private final float[] moving;
    private final int mnx;
    private final int mny;
    private final int mnz;
    private final double[] g;
    private final double[] movingOrigin;
    private final float outside;
    private final int threads;

    /** Value and gradient ({@code dNCC/dM} row-major then {@code dNCC/db}; null when not asked for). */
    record Evaluation(double value, double[] gradient) {
    }

    NccMetric(SampleSet samples, FloatGrid moving, float outsideValue, int threads) {
        this.samples = samples;
        this.moving = moving.values();
        Geometry mg = moving.geometry();
        this.mnx = mg.nx();
        this.mny = mg.ny();
        this.mnz = mg.nz();
        this.g = mg.physicalToIndexMatrix();
        this.movingOrigin = mg.origin();
        this.outside = outsideValue;
        this.threads = threads;
    }

    SampleSet samples() {
        return samples;
    }

    /** NCC of the map {@code x = M·q + b}; the gradient only when asked (else null). */
    Evaluation evaluate(double[] m, double[] b, boolean withGradient) {
        int n = samples.size();
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[][] parts = new double[chunks][];
        double[] k = Matrix3.multiply(g, m);
        double[] k0 = Matrix3.apply(g, new double[] {b[0] - movingOrigin[0], b[1] - movingOrigin[1], b[2] - movingOrigin[2]});
        AtomicInteger next = new AtomicInteger();
        Workers.run(Math.min(threads, chunks), "ncc", () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                parts[c] = chunk(c * CHUNK, Math.min(n, (c + 1) * CHUNK), k, k0, withGradient);
            }
        });
        double[] s = new double[SUMS];
        for (double[] p : parts) {
            for (int i = 0; i < SUMS; i++) {
                s[i] += p[i];
            }
        }
        double count = n;
        double sf = s[0];
        double sm = s[1];
        double vf = s[2] - sf * sf / count;
        double vm = s[3] - sm * sm / count;
        double cov = s[4] - sf * sm / count;
        if (!(vf > 1e-9 * count) || !(vm > 1e-9 * count)) {
            return new Evaluation(Double.NaN, withGradient ? new double[12] : null);
        }
        double norm = Math.sqrt(vf * vm);
        double value = cov / norm;
        if (!withGradient) {
            return new Evaluation(value, null);
        }
        double fMean = sf / count;
        double mMean = sm / count;
        double ratio = cov / vm;
        // index-space weights: w = (f − f̄) − (cov/vm)(m − m̄) summed against dm
        double[] w = new double[12];
        for (int i = 0; i < 12; i++) {
            double a = s[5 + i];
            double af = s[17 + i];
            double am = s[29 + i];
            w[i] = ((af - fMean * a) - ratio * (am - mMean * a)) / norm;
        }
        // w[s*4 + c]: index component s, against q_c (c < 3) or 1 (c = 3); physical gradient = Gᵀ · w
        double[] grad = new double[12];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                double v = 0;
                for (int sIdx = 0; sIdx < 3; sIdx++) {
                    v += g[sIdx * 3 + r] * w[sIdx * 4 + c];
                }
                if (c < 3) {
                    grad[r * 3 + c] = v;
                } else {
                    grad[9 + r] = v;
                }
            }
        }
        return new Evaluation(value, grad);
    }

    private double[] chunk(int from, int to, double[] k, double[] k0, boolean withGradient) {
        float[] qx = samples.qx();
        float[] qy = samples.qy();
        float[] qz = samples.qz();
        float[] fv = samples.value();
        float[] mv = moving;
        int nx = mnx;
        int nxy = mnx * mny;
        double[] s = new double[SUMS];
        double sf = 0, sm = 0, sff = 0, smm = 0, sfm = 0;
        double[] g3 = new double[3];
        for (int i = from; i < to; i++) {
            double x = qx[i];
            double y = qy[i];
            double z = qz[i];
            double ix = k[0] * x + k[1] * y + k[2] * z + k0[0];
            double iy = k[3] * x + k[4] * y + k[5] * z + k0[1];
            double iz = k[6] * x + k[7] * y + k[8] * z + k0[2];
            double f = fv[i];
            int x0 = (int) Math.floor(ix);
            int y0 = (int) Math.floor(iy);
            int z0 = (int) Math.floor(iz);
            double m;
            double gx = 0, gy = 0, gz = 0;
            if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= mnx - 1 || y0 >= mny - 1 || z0 >= mnz - 1) {
                m = outside;
            } else {
                m = Trilinear.at(mv, nx, nxy, x0, y0, z0, ix - x0, iy - y0, iz - z0, withGradient ? g3 : null);
                if (withGradient) {
                    gx = g3[0];
                    gy = g3[1];
                    gz = g3[2];
                }
            }
            sf += f;
            sm += m;
            sff += f * f;
            smm += m * m;
            sfm += f * m;
            if (withGradient && (gx != 0 || gy != 0 || gz != 0)) {
                double[] gi = {gx, gy, gz};
                for (int a = 0; a < 3; a++) {
                    double ga = gi[a];
                    double p0 = ga * x;
                    double p1 = ga * y;
                    double p2 = ga * z;
                    int o = 5 + a * 4;
                    s[o] += p0;
                    s[o + 1] += p1;
                    s[o + 2] += p2;
                    s[o + 3] += ga;
                    s[o + 12] += f * p0;
                    s[o + 13] += f * p1;
                    s[o + 14] += f * p2;
                    s[o + 15] += f * ga;
                    s[o + 24] += m * p0;
                    s[o + 25] += m * p1;
                    s[o + 26] += m * p2;
                    s[o + 27] += m * ga;
                }
            }
        }
        s[0] = sf;
        s[1] = sm;
        s[2] = sff;
        s[3] = smm;
        s[4] = sfm;
        return s;
    }
}
