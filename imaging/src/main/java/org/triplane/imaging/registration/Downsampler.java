package org.triplane.imaging.registration;

import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Block averaging for the registration pyramid. Output voxel {@code (I, J, K)} is the mean of the
 * input voxels {@code (I·fx .. I·fx+fx−1, …)}; the output grid keeps the direction, multiplies the
 * spacing by the factors and puts each voxel at its block's centre (LPS mm), so it is an exact
 * ITK geometry of the averaged data. Input voxels that do not fill a whole block at the far edge of
 * an axis (fewer than {@code f − 1}) are left out.
 *
 * <p>// why: averaging reads the int16 scan once, straight into a small float grid; a full-size
 * float copy of a study scan (29 M voxels) is never made.
 */
final class Downsampler {
    /** HU above which a voxel counts as tissue (head) rather than air. */
    static final double TISSUE_HU = -500;

    private Downsampler() {
    }

    /** Per-axis factors that bring {@code spacing} closest to {@code targetMm} without going below 1. */
    static int[] factors(double[] spacing, double targetMm) {
        int[] f = new int[3];
        for (int a = 0; a < 3; a++) {
            f[a] = (int) Math.max(1, Math.round(targetMm / spacing[a]));
        }
        return f;
    }

    /** Grid of the block averages of {@code g} by {@code f}. */
    static Geometry blockGrid(Geometry g, int[] f) {
        int nx = Math.max(1, g.nx() / f[0]);
        int ny = Math.max(1, g.ny() / f[1]);
        int nz = Math.max(1, g.nz() / f[2]);
        double[] s = g.spacing();
        double[] origin = g.indexToPhysical((f[0] - 1) / 2.0, (f[1] - 1) / 2.0, (f[2] - 1) / 2.0);
        return new Geometry(nx, ny, nz, new double[] {s[0] * f[0], s[1] * f[1], s[2] * f[2]}, origin, g.direction());
    }

    /**
     * The first pyramid level of a CT in HU (any voxel type; int16 read directly): windowed HU and
     * tissue share, block averages by {@code f}.
     */
    static PyramidLevel fromHu(Volume ct, int[] f, IntensityWindow window, int threads) {
        Geometry in = ct.geometry();
        Geometry out = blockGrid(in, f);
        float[] image = new float[(int) out.voxelCount()];
        float[] tissue = new float[image.length];
        short[] int16 = ct.voxels() instanceof VoxelBuffer.Int16 b ? b.data : null;
        VoxelBuffer any = ct.voxels();
        int onx = out.nx();
        int ony = out.ny();
        int onz = out.nz();
        int inx = in.nx();
        int iny = in.ny();
        float inv = 1f / (f[0] * f[1] * f[2]);
        // why: a lookup table makes the clamp and the tissue test one read per int16 voxel
        float[] lut = null;
        if (int16 != null) {
            lut = new float[65536];
            for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
                lut[v & 0xFFFF] = window.clamp(v);
            }
        }
        float[] table = lut;
        AtomicInteger next = new AtomicInteger();
        Workers.run(Math.min(threads, onz), "downsample", () -> {
            double[] sum = new double[onx];
            int[] count = new int[onx];
            for (int kk = next.getAndIncrement(); kk < onz; kk = next.getAndIncrement()) {
                for (int jj = 0; jj < ony; jj++) {
                    java.util.Arrays.fill(sum, 0);
                    java.util.Arrays.fill(count, 0);
                    for (int k = kk * f[2]; k < kk * f[2] + f[2]; k++) {
                        for (int j = jj * f[1]; j < jj * f[1] + f[1]; j++) {
                            int row = inx * (j + iny * k);
                            for (int ii = 0; ii < onx; ii++) {
                                double s = 0;
                                int c = 0;
                                int base = row + ii * f[0];
                                for (int i = 0; i < f[0]; i++) {
                                    double hu;
                                    if (int16 != null) {
                                        short v = int16[base + i];
                                        s += table[v & 0xFFFF];
                                        hu = v;
                                    } else {
                                        hu = any.get(base + i);
                                        s += window.clamp(hu);
                                    }
                                    if (hu > TISSUE_HU) {
                                        c++;
                                    }
                                }
                                sum[ii] += s;
                                count[ii] += c;
                            }
                        }
                    }
                    int o = onx * (jj + ony * kk);
                    for (int ii = 0; ii < onx; ii++) {
                        image[o + ii] = (float) sum[ii] * inv;
                        tissue[o + ii] = count[ii] * inv;
                    }
                }
            }
        });
        return new PyramidLevel(new FloatGrid(out, image), new FloatGrid(out, tissue));
    }

    /** The next coarser level: both images of {@code level} block-averaged by {@code f}. */
    static PyramidLevel coarser(PyramidLevel level, int[] f, int threads) {
        return new PyramidLevel(average(level.image(), f, threads), average(level.tissue(), f, threads));
    }

    static FloatGrid average(FloatGrid src, int[] f, int threads) {
        Geometry in = src.geometry();
        Geometry out = blockGrid(in, f);
        float[] v = src.values();
        float[] dst = new float[(int) out.voxelCount()];
        int onx = out.nx();
        int ony = out.ny();
        int onz = out.nz();
        int inx = in.nx();
        int iny = in.ny();
        float inv = 1f / (f[0] * f[1] * f[2]);
        AtomicInteger next = new AtomicInteger();
        Workers.run(Math.min(threads, onz), "downsample", () -> {
            for (int kk = next.getAndIncrement(); kk < onz; kk = next.getAndIncrement()) {
                for (int jj = 0; jj < ony; jj++) {
                    for (int ii = 0; ii < onx; ii++) {
                        double s = 0;
                        for (int k = kk * f[2]; k < kk * f[2] + f[2]; k++) {
                            for (int j = jj * f[1]; j < jj * f[1] + f[1]; j++) {
                                int base = inx * (j + iny * k) + ii * f[0];
                                for (int i = 0; i < f[0]; i++) {
                                    s += v[base + i];
                                }
                            }
                        }
                        dst[ii + onx * (jj + ony * kk)] = (float) s * inv;
                    }
                }
            }
        });
        return new FloatGrid(out, dst);
    }
}
