package org.triplane.imaging.phantom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Makes synthetic head CTs with ground-truth ASPECTS labels from the {@link Atlas}.
 *
 * <p>Spaces (all LPS, mm). The <em>canonical</em> space is the scan grid itself
 * ({@link PhantomSpec#geometry()}), with the atlas brain centre placed at the grid centre
 * {@code c}. A subject's anatomy is the atlas seen through
 * {@code W(p) = a + S⁻¹·(p − c) + u(p)}, which maps a canonical point {@code p} to the atlas
 * point it shows: {@code a} is the atlas brain centre, {@code S} a per-axis head scale and
 * {@code u} a smooth random displacement (trilinear on a coarse control grid, small enough that
 * {@code W} never folds). Then
 * <ul>
 *   <li>{@code labels(p) = atlasLabel(W(p))}, nearest neighbour, on the canonical grid;</li>
 *   <li>the scan as acquired is {@code ct(q) = atlasCT(W(T⁻¹(q)))} (trilinear) plus per-subject
 *       tissue offsets, a low-frequency bias field and Gaussian noise inside the head, where
 *       {@code T} is the head pose.</li>
 * </ul>
 * So {@code ct(T(p)) ≈ atlasCT(W(p))}: resampling the CT through {@code T} onto its own grid
 * ({@code out(p) = ct(T(p))}, what ITK and {@link org.triplane.imaging.resample.Resampler} do)
 * lines the anatomy up with the labels, exactly like the study's scan, transform and
 * segmentation. Out of the atlas field of view the CT is air (−1024 HU) and the label 0; where
 * {@code T(p)} leaves the scan grid (the rotated scan has no data) the label is 0 too.
 *
 * <p>The spec's {@link PhantomSpec.Acquisition} moves the head in the grid ({@code c} above
 * becomes the head centre {@code h = c + Rᵀ·L·v} for a shift {@code v} in the stored grid, so the
 * head appears exactly {@code v} away from where it would be), and with gantry tilt the scan
 * shows the sheared anatomy {@code ct(q) = atlasCT(W(T⁻¹(G(q))))}, {@code G} =
 * {@link PhantomSpec#tiltMap()} with linear part {@code L}; the labels are then
 * {@code atlasLabel(W(T⁻¹(G(T(p)))))}, so they still line up with {@code ct(T(p))}.
 *
 * <p>Output volumes are x fastest ({@code index = i + nx·(j + ny·k)}): the CT int16 HU, rounded
 * and clamped to −1024..3071, the labels uint8 0..20. Subject {@code n} depends
 * only on the spec and {@code n}; noise comes from one seeded stream per slice, so the result is
 * byte-identical whatever the thread count.
 */
public final class PhantomGenerator {
    /** HU above which a sampled voxel counts as inside the head (the atlas stores air as exactly −1024). */
    static final double TISSUE_THRESHOLD_HU = -1000;
    /** Air, and the lowest value written. */
    public static final int AIR_HU = -1024;
    /** Highest value written (12-bit CT range). */
    public static final int MAX_HU = 3071;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Largest distance between exact warp evaluations along a row (mm). */
    private static final double WARP_NODE_SPACING_MM = 4.0;
    private static final double MIN_BIAS_WAVELENGTH_MM = 150;
    private static final double MAX_BIAS_WAVELENGTH_MM = 400;

    private final PhantomSpec spec;
    private final int threads;
    private final Atlas atlas;

    /** A generator using one thread per available processor. */
    public PhantomGenerator(PhantomSpec spec) {
        this(spec, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads worker threads (≥ 1); results do not depend on it. */
    public PhantomGenerator(PhantomSpec spec, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.spec = spec;
        this.threads = threads;
        this.atlas = Atlas.get();
    }

    public PhantomSpec spec() {
        return spec;
    }

    /** Subject {@code number} (1-based) of this spec. */
    public PhantomSubject generate(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("subject numbers start at 1, got " + number);
        }
        Subject s = new Subject(spec, atlas, number);
        Geometry grid = spec.geometry();
        Volume labels = Volume.allocate(grid, DataType.UINT8);
        Volume ct = Volume.allocate(grid, DataType.INT16);
        byte[] lab = ((VoxelBuffer.UInt8) labels.voxels()).data;
        short[] hu = ((VoxelBuffer.Int16) ct.voxels()).data;
        forEachSlice(grid.nz(), k -> {
            s.labelSlice(k, lab);
            s.ctSlice(k, hu);
        });
        return new PhantomSubject(number, ct, labels, s.pose, s.scale, s.noiseSigma);
    }

    /** Seed of subject {@code number}'s random stream; distinct subjects get unrelated streams. */
    static long subjectSeed(long seed, int number) {
        return mix64(seed + GOLDEN * number);
    }

    /** SplitMix64's finaliser: a bijective hash that decorrelates nearby seeds. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private interface SliceTask {
        void run(int k);
    }

    private void forEachSlice(int nz, SliceTask task) {
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int k = next.getAndIncrement(); k < nz; k = next.getAndIncrement()) {
                task.run(k);
            }
        };
        Workers.run(Math.min(threads, nz), "phantom", work);
    }

    /** Uniform in {@code [−r, r]}; always consumes one draw so that the stream layout never depends on the spec. */
    private static double symmetric(SplittableRandom rng, double r) {
        return (2 * rng.nextDouble() - 1) * r;
    }

    /** {@code Rz·Ry·Rx} (the study's decomposition). */
    static double[] rotation(double ax, double ay, double az) {
        return new EulerAngles(ax, ay, az).toMatrix();
    }

    /** Everything random about one subject, and the per-slice kernels that render it. */
    private static final class Subject {
        final Geometry grid;
        final double[] scale = new double[3];
        final AffineTransform pose;
        final AffineTransform poseInverse;
        /** Stored-grid point → canonical point whose anatomy it shows: {@code T⁻¹∘G}. */
        final AffineTransform ctMap;
        /** Canonical point → canonical point of the anatomy labelled there ({@code T⁻¹∘G∘T}); null without tilt. */
        final AffineTransform labelMap;
        /** Where the head sits in the stored grid relative to a centred head: {@code v} (mm). */
        final double[] headShift;
        final double calibration;
        final double noiseSigma;
        final double globalOffset;
        /** Offset per label 0..20 (0 for background), symmetric between hemispheres. */
        final double[] regionOffset = new double[21];
        final double[] biasX;
        final double[] biasY;
        final double[] biasZ;
        final long noiseSeed;
        final Warp warp;
        /** Voxels between exact warp evaluations along a row. */
        final int warpStride;

        final short[] atlasCt;
        final byte[] atlasLab;
        final int anx;
        final int any;
        final int anz;
        /** Atlas continuous index = atlasLinear · p + atlasOffset for the affine part of W (p canonical LPS). */
        final double[] atlasLinear;
        final double[] atlasOffset;
        /** Displacement in atlas index units per mm of u. */
        final double[] atlasIndexPerMm;

        Subject(PhantomSpec spec, Atlas atlas, int number) {
            PhantomSpec.Variation v = spec.variation();
            grid = spec.geometry();
            SplittableRandom rng = new SplittableRandom(subjectSeed(spec.seed(), number));
            for (int d = 0; d < 3; d++) {
                scale[d] = 1 + symmetric(rng, v.scaleRange());
            }
            double maxRot = Math.toRadians(v.maxRotationDeg());
            double ax = symmetric(rng, maxRot);
            double ay = symmetric(rng, maxRot);
            double az = symmetric(rng, maxRot);
            double[] t = new double[3];
            for (int d = 0; d < 3; d++) {
                t[d] = symmetric(rng, v.maxTranslationMm());
            }
            double[] c = grid.centre();
            double[] r = rotation(ax, ay, az);
            // why: the study's files (ITK-SNAP) carry the rotation centre in the translation, FixedParameters 0 0 0
            double[] folded = new AffineTransform(r, c, t).offset();
            pose = new AffineTransform(r, new double[3], folded);
            poseInverse = pose.inverse();
            PhantomSpec.Acquisition acq = spec.acquisition();
            AffineTransform tilt = spec.tiltMap();
            // why: without tilt the old maps are used as they are, so untilted scans stay byte-identical
            boolean tilted = acq.tiltDeg() != 0;
            ctMap = tilted ? poseInverse.compose(tilt) : poseInverse;
            labelMap = tilted ? ctMap.compose(pose) : null;
            calibration = acq.calibrationHu();

            globalOffset = symmetric(rng, v.globalOffsetHu());
            for (int label = 1; label <= 10; label++) {
                double o = symmetric(rng, v.regionOffsetHu());
                regionOffset[label] = o;
                regionOffset[label + 10] = o;
            }
            noiseSigma = v.noiseMinHu() + rng.nextDouble() * (v.noiseMaxHu() - v.noiseMinHu());
            // why: |each axis term| ≤ biasHu/3, so the separable sum stays within ±biasHu
            biasX = biasProfile(rng, grid.nx(), grid.spacing()[0], v.biasHu() / 3);
            biasY = biasProfile(rng, grid.ny(), grid.spacing()[1], v.biasHu() / 3);
            biasZ = biasProfile(rng, grid.nz(), grid.spacing()[2], v.biasHu() / 3);
            noiseSeed = rng.nextLong();
            warp = new Warp(rng, grid, v.warpSpacingMm(), v.warpAmplitudeMm());
            warpStride = Math.max(1, (int) Math.floor(WARP_NODE_SPACING_MM / grid.spacing()[0]));

            Geometry ag = atlas.geometry();
            atlasCt = ((VoxelBuffer.Int16) atlas.ct().voxels()).data;
            atlasLab = ((VoxelBuffer.UInt8) atlas.labels().voxels()).data;
            anx = ag.nx();
            any = ag.ny();
            anz = ag.nz();
            atlasIndexPerMm = ag.physicalToIndexMatrix();
            // why: folding S⁻¹, the centres and the atlas index map into one affine keeps the per-voxel work to a multiply-add
            double[] sInv = {1 / scale[0], 0, 0, 0, 1 / scale[1], 0, 0, 0, 1 / scale[2]};
            atlasLinear = Matrix3.multiply(atlasIndexPerMm, sInv);
            double[] a = atlas.brainCentre();
            headShift = new double[] {acq.offsetXMm(), acq.offsetYMm(), 0};
            if (acq.vertexCutMm() > 0 || acq.baseCutMm() > 0) {
                double[] extent = brainHeight(atlas, tilt, headCentre(c, tilt.matrix()));
                double[] o = grid.origin();
                double top = o[2] + (grid.nz() - 1) * grid.spacing()[2];
                headShift[2] = acq.vertexCutMm() > 0 ? top + acq.vertexCutMm() - extent[1] : o[2] - acq.baseCutMm() - extent[0];
            }
            double[] h = headCentre(c, tilt.matrix());
            double[] sInvC = Matrix3.apply(sInv, h);
            double[] ao = ag.origin();
            double[] shift = {a[0] - sInvC[0] - ao[0], a[1] - sInvC[1] - ao[1], a[2] - sInvC[2] - ao[2]};
            atlasOffset = Matrix3.apply(atlasIndexPerMm, shift);
        }

        /** {@code h = c + Rᵀ·L·v}: the canonical head centre that puts the head {@link #headShift} away in the stored grid. */
        private double[] headCentre(double[] c, double[] tiltLinear) {
            double[] shift = Matrix3.apply(Matrix3.transpose(pose.matrix()), Matrix3.apply(tiltLinear, headShift));
            return new double[] {c[0] + shift[0], c[1] + shift[1], c[2] + shift[2]};
        }

        /**
         * Lowest and highest stored-grid z (LPS mm) of the atlas brain mask's voxel centres for the
         * head centred at {@code h}: atlas point {@code x} shows at {@code G⁻¹(T(h + S·(x − a)))},
         * the warp left out. Affine in {@code x}, so one pass over the mask.
         */
        private double[] brainHeight(Atlas atlas, AffineTransform tilt, double[] h) {
            AffineTransform stored = tilt.inverse().compose(pose);
            double[] m = stored.matrix();
            double[] a = atlas.brainCentre();
            // z(x) = Σ_d w_d·(x_d − a_d) + z(h), w = row z of (L⁻¹·R)·S
            double[] w = {m[6] * scale[0], m[7] * scale[1], m[8] * scale[2]};
            double zh = stored.apply(h)[2];
            Geometry ag = atlas.geometry();
            double[] im = ag.indexToPhysicalMatrix();
            double[] ao = ag.origin();
            double z0 = zh + w[0] * (ao[0] - a[0]) + w[1] * (ao[1] - a[1]) + w[2] * (ao[2] - a[2]);
            double di = w[0] * im[0] + w[1] * im[3] + w[2] * im[6];
            double dj = w[0] * im[1] + w[1] * im[4] + w[2] * im[7];
            double dk = w[0] * im[2] + w[1] * im[5] + w[2] * im[8];
            byte[] mask = ((VoxelBuffer.UInt8) atlas.brainMask().voxels()).data;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            int idx = 0;
            for (int k = 0; k < ag.nz(); k++) {
                for (int j = 0; j < ag.ny(); j++) {
                    double row = z0 + dj * j + dk * k;
                    for (int i = 0; i < ag.nx(); i++, idx++) {
                        if (mask[idx] != 0) {
                            double z = row + di * i;
                            lo = Math.min(lo, z);
                            hi = Math.max(hi, z);
                        }
                    }
                }
            }
            return new double[] {lo, hi};
        }

        private static double[] biasProfile(SplittableRandom rng, int n, double spacing, double maxAmplitude) {
            double amplitude = rng.nextDouble() * maxAmplitude;
            double wavelength = MIN_BIAS_WAVELENGTH_MM + rng.nextDouble() * (MAX_BIAS_WAVELENGTH_MM - MIN_BIAS_WAVELENGTH_MM);
            double phase = rng.nextDouble() * 2 * Math.PI;
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = amplitude * StrictMath.cos(2 * Math.PI * i * spacing / wavelength + phase);
            }
            return b;
        }

        /** Labels of canonical slice {@code k}: {@code atlasLabel(W(p))}, nearest neighbour. */
        void labelSlice(int k, byte[] out) {
            int nx = grid.nx();
            int ny = grid.ny();
            double[] m = grid.indexToPhysicalMatrix();
            double[] o = grid.origin();
            double[] step = {m[0], m[3], m[6]};
            double[] dp = labelMap == null ? step : Matrix3.apply(labelMap.matrix(), step);
            double[] p0 = new double[3];
            double[] q = new double[3];
            // why: where the pose carries p out of the scan grid the rotated scan has no data to label
            double[] toIndex = grid.physicalToIndexMatrix();
            double[] dIndex = Matrix3.apply(toIndex, Matrix3.apply(pose.matrix(), step));
            RowMap row = new RowMap(nx, warp, warpStride);
            for (int j = 0; j < ny; j++) {
                for (int d = 0; d < 3; d++) {
                    q[d] = o[d] + m[d * 3 + 1] * j + m[d * 3 + 2] * k;
                }
                if (labelMap == null) {
                    System.arraycopy(q, 0, p0, 0, 3);
                } else {
                    double[] mapped = labelMap.apply(q);
                    System.arraycopy(mapped, 0, p0, 0, 3);
                }
                double[] posed = pose.apply(q);
                double[] index0 = Matrix3.apply(toIndex, new double[] {posed[0] - o[0], posed[1] - o[1], posed[2] - o[2]});
                mapRow(p0, dp, row);
                int base = nx * (j + ny * k);
                for (int i = 0; i < nx; i++) {
                    boolean scanned = insideGrid(index0[0] + i * dIndex[0], index0[1] + i * dIndex[1], index0[2] + i * dIndex[2]);
                    out[base + i] = scanned ? (byte) label(row.x[i], row.y[i], row.z[i]) : 0;
                }
            }
        }

        /** ITK's inside test for a continuous index of the scan grid. */
        private boolean insideGrid(double x, double y, double z) {
            return x >= -0.5 && x < grid.nx() - 0.5 && y >= -0.5 && y < grid.ny() - 0.5 && z >= -0.5 && z < grid.nz() - 0.5;
        }

        /** CT of acquired slice {@code k}: {@code atlasCT(W(T⁻¹(q)))} plus tissue variation and noise. */
        void ctSlice(int k, short[] out) {
            int nx = grid.nx();
            int ny = grid.ny();
            double[] rm = ctMap.matrix();
            double[] ro = ctMap.offset();
            double[] m = grid.indexToPhysicalMatrix();
            double[] o = grid.origin();
            // why: p = T⁻¹(q(i, j, k)) is affine in i, so a row needs one start point and one step
            double[] dp = Matrix3.apply(rm, new double[] {m[0], m[3], m[6]});
            double[] q0 = new double[3];
            RowMap row = new RowMap(nx, warp, warpStride);
            Gaussian noise = new Gaussian(new SplittableRandom(mix64(noiseSeed + GOLDEN * k)));
            double sliceBias = biasZ[k] + globalOffset + calibration;
            short[] c = atlasCt;
            for (int j = 0; j < ny; j++) {
                for (int d = 0; d < 3; d++) {
                    q0[d] = o[d] + m[d * 3 + 1] * j + m[d * 3 + 2] * k;
                }
                double[] p0 = Matrix3.apply(rm, q0);
                for (int d = 0; d < 3; d++) {
                    p0[d] += ro[d];
                }
                mapRow(p0, dp, row);
                double rowBias = sliceBias + biasY[j];
                int base = nx * (j + ny * k);
                for (int i = 0; i < nx; i++) {
                    double x = row.x[i];
                    double y = row.y[i];
                    double z = row.z[i];
                    if (!inside(x, y, z)) {
                        out[base + i] = AIR_HU;
                        continue;
                    }
                    // why: border neighbours clamped as ITK's linear interpolator does, so the atlas edge behaves as in ITK
                    int x0 = (int) Math.floor(x);
                    int y0 = (int) Math.floor(y);
                    int z0 = (int) Math.floor(z);
                    double fx = x - x0;
                    double fy = y - y0;
                    double fz = z - z0;
                    int x1 = Math.min(x0 + 1, anx - 1);
                    int y1 = Math.min(y0 + 1, any - 1);
                    int z1 = Math.min(z0 + 1, anz - 1);
                    x0 = Math.max(x0, 0);
                    y0 = Math.max(y0, 0);
                    z0 = Math.max(z0, 0);
                    int r00 = anx * (y0 + any * z0);
                    int r10 = anx * (y1 + any * z0);
                    int r01 = anx * (y0 + any * z1);
                    int r11 = anx * (y1 + any * z1);
                    double c00 = c[r00 + x0] + fx * (c[r00 + x1] - c[r00 + x0]);
                    double c10 = c[r10 + x0] + fx * (c[r10 + x1] - c[r10 + x0]);
                    double c01 = c[r01 + x0] + fx * (c[r01 + x1] - c[r01 + x0]);
                    double c11 = c[r11 + x0] + fx * (c[r11 + x1] - c[r11 + x0]);
                    double c0 = c00 + fy * (c10 - c00);
                    double c1 = c01 + fy * (c11 - c01);
                    double value = c0 + fz * (c1 - c0);
                    if (value > TISSUE_THRESHOLD_HU) {
                        // why: floor(index + 0.5) is ITK's nearest neighbour; the inside test above already holds
                        int li = fx >= 0.5 ? x1 : x0;
                        int lj = fy >= 0.5 ? y1 : y0;
                        int lk = fz >= 0.5 ? z1 : z0;
                        int label = atlasLab[li + anx * (lj + any * lk)] & 0xFF;
                        value += rowBias + biasX[i] + regionOffset[label] + noiseSigma * noise.next();
                    }
                    out[base + i] = (short) Math.round(Math.max(AIR_HU, Math.min(MAX_HU, value)));
                }
            }
        }

        /**
         * Atlas continuous indices {@code W(p0 + i·dp)} for a row. The affine part is exact. The
         * warp is evaluated exactly at nodes (every {@link #warpStride} voxels and wherever the row
         * crosses a control-grid plane, where its slope may jump) and linearly in between: exact
         * for rows along a grid axis, within a few hundredths of a mm for rotated rows.
         */
        private void mapRow(double[] p0, double[] dp, RowMap row) {
            int nx = row.x.length;
            int nodes = rowNodes(p0, dp, nx, row.nodes);
            double[] t = row.nodes;
            double[] l = atlasLinear;
            double[] off = atlasOffset;
            double[] ua = row.ua;
            double[] ub = row.ub;
            warpIndex(p0, dp, t[0], ua);
            int i = 0;
            for (int n = 1; n < nodes; n++) {
                double ta = t[n - 1];
                double tb = t[n];
                warpIndex(p0, dp, tb, ub);
                double inv = 1.0 / (tb - ta);
                // why: the last voxel is a node itself and must not be left out of the last segment
                int stop = n == nodes - 1 ? nx : (int) Math.ceil(tb);
                for (; i < stop; i++) {
                    double f = (i - ta) * inv;
                    double px = p0[0] + i * dp[0];
                    double py = p0[1] + i * dp[1];
                    double pz = p0[2] + i * dp[2];
                    row.x[i] = l[0] * px + l[1] * py + l[2] * pz + off[0] + ua[0] + f * (ub[0] - ua[0]);
                    row.y[i] = l[3] * px + l[4] * py + l[5] * pz + off[1] + ua[1] + f * (ub[1] - ua[1]);
                    row.z[i] = l[6] * px + l[7] * py + l[8] * pz + off[2] + ua[2] + f * (ub[2] - ua[2]);
                }
                double[] swap = ua;
                ua = ub;
                ub = swap;
            }
            if (nodes == 1) {
                // why: a one-voxel row has no segment, only its single node
                double px = p0[0];
                double py = p0[1];
                double pz = p0[2];
                row.x[0] = l[0] * px + l[1] * py + l[2] * pz + off[0] + ua[0];
                row.y[0] = l[3] * px + l[4] * py + l[5] * pz + off[1] + ua[1];
                row.z[0] = l[6] * px + l[7] * py + l[8] * pz + off[2] + ua[2];
            }
        }

        /** Sorted, distinct node positions (voxel units along the row) in {@code [0, nx − 1]}; returns their count. */
        private int rowNodes(double[] p0, double[] dp, int nx, double[] out) {
            int n = 0;
            int last = nx - 1;
            for (int i = 0; i < last; i += warpStride) {
                out[n++] = i;
            }
            out[n++] = last;
            int regular = n;
            for (int d = 0; d < 3; d++) {
                if (dp[d] == 0) {
                    continue;
                }
                double g0 = warp.controlCoordinate(d, p0[d]);
                double g1 = warp.controlCoordinate(d, p0[d] + last * dp[d]);
                int lo = Math.max(0, (int) Math.floor(Math.min(g0, g1)) + 1);
                int hi = Math.min(warp.planes(d) - 1, (int) Math.ceil(Math.max(g0, g1)) - 1);
                for (int m = lo; m <= hi; m++) {
                    double t = (warp.planePosition(d, m) - p0[d]) / dp[d];
                    if (t > 0 && t < last) {
                        out[n++] = t;
                    }
                }
            }
            if (n > regular) {
                Arrays.sort(out, 0, n);
                int w = 1;
                for (int r = 1; r < n; r++) {
                    if (out[r] > out[w - 1]) {
                        out[w++] = out[r];
                    }
                }
                n = w;
            }
            return n;
        }

        /** The warp {@code u(p0 + t·dp)} in atlas index units. */
        private void warpIndex(double[] p0, double[] dp, double t, double[] out) {
            warp.displacement(p0[0] + t * dp[0], p0[1] + t * dp[1], p0[2] + t * dp[2], out);
            double[] a = atlasIndexPerMm;
            double ux = out[0];
            double uy = out[1];
            double uz = out[2];
            out[0] = a[0] * ux + a[1] * uy + a[2] * uz;
            out[1] = a[3] * ux + a[4] * uy + a[5] * uz;
            out[2] = a[6] * ux + a[7] * uy + a[8] * uz;
        }

        /** ITK's inside test for a continuous index: {@code [−0.5, n − 0.5)} on every axis. */
        private boolean inside(double x, double y, double z) {
            return x >= -0.5 && x < anx - 0.5 && y >= -0.5 && y < any - 0.5 && z >= -0.5 && z < anz - 0.5;
        }

        /** Nearest atlas label ({@code floor(index + 0.5)}, as ITK), 0 outside the atlas. */
        private int label(double x, double y, double z) {
            if (!inside(x, y, z)) {
                return 0;
            }
            int i = (int) Math.floor(x + 0.5);
            int j = (int) Math.floor(y + 0.5);
            int k = (int) Math.floor(z + 0.5);
            return atlasLab[i + anx * (j + any * k)] & 0xFF;
        }
    }

    /** Per-thread scratch for one row: atlas continuous indices and the warp at two nodes. */
    private static final class RowMap {
        final double[] x;
        final double[] y;
        final double[] z;
        final double[] ua = new double[3];
        final double[] ub = new double[3];
        final double[] nodes;

        RowMap(int nx, Warp warp, int stride) {
            // why: regular nodes, the last voxel, and at most one crossing per control plane bound the count
            nodes = new double[nx / stride + 2 + warp.planes(0) + warp.planes(1) + warp.planes(2)];
            x = new double[nx];
            y = new double[nx];
            z = new double[nx];
        }
    }

    /**
     * A smooth random displacement field {@code u(p)} (mm) over canonical LPS points: uniform
     * random vectors in {@code ±amplitude} per component on a regular control grid, trilinear in
     * between, constant beyond the control grid (which covers the scan grid plus one spacing).
     */
    private static final class Warp {
        final double[] origin = new double[3];
        final double spacing;
        final int cx;
        final int cy;
        final int cz;
        /** Displacements (x, y, z interleaved), control points x fastest. */
        final double[] u;

        Warp(SplittableRandom rng, Geometry grid, double spacing, double amplitude) {
            this.spacing = spacing;
            double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int corner = 0; corner < 8; corner++) {
                double[] p = grid.indexToPhysical((corner & 1) == 0 ? 0 : grid.nx() - 1,
                        (corner & 2) == 0 ? 0 : grid.ny() - 1, (corner & 4) == 0 ? 0 : grid.nz() - 1);
                for (int d = 0; d < 3; d++) {
                    lo[d] = Math.min(lo[d], p[d]);
                    hi[d] = Math.max(hi[d], p[d]);
                }
            }
            int[] n = new int[3];
            for (int d = 0; d < 3; d++) {
                // why: the pose carries some canonical points outside the grid; a margin plus a constant
                // extension beyond it keeps the field continuous there
                origin[d] = lo[d] - spacing;
                n[d] = (int) Math.ceil((hi[d] - lo[d]) / spacing) + 3;
            }
            cx = n[0];
            cy = n[1];
            cz = n[2];
            u = new double[3 * cx * cy * cz];
            for (int i = 0; i < u.length; i++) {
                u[i] = symmetric(rng, amplitude);
            }
        }

        /** Number of control planes across axis {@code d}. */
        int planes(int d) {
            return d == 0 ? cx : (d == 1 ? cy : cz);
        }

        /** Continuous control-grid coordinate of LPS coordinate {@code v} (mm) along axis {@code d}. */
        double controlCoordinate(int d, double v) {
            return (v - origin[d]) / spacing;
        }

        /** LPS coordinate (mm) of control plane {@code m} across axis {@code d}. */
        double planePosition(int d, int m) {
            return origin[d] + m * spacing;
        }

        /** {@code u(p)} in mm into {@code out}. */
        void displacement(double px, double py, double pz, double[] out) {
            double gx = clamp((px - origin[0]) / spacing, cx - 1);
            double gy = clamp((py - origin[1]) / spacing, cy - 1);
            double gz = clamp((pz - origin[2]) / spacing, cz - 1);
            int x0 = Math.min((int) gx, cx - 2);
            int y0 = Math.min((int) gy, cy - 2);
            int z0 = Math.min((int) gz, cz - 2);
            double fx = gx - x0;
            double fy = gy - y0;
            double fz = gz - z0;
            int sx = 3;
            int sy = 3 * cx;
            int sz = 3 * cx * cy;
            int b = 3 * (x0 + cx * (y0 + cy * z0));
            for (int d = 0; d < 3; d++) {
                int p = b + d;
                double c00 = u[p] + fx * (u[p + sx] - u[p]);
                double c10 = u[p + sy] + fx * (u[p + sy + sx] - u[p + sy]);
                double c01 = u[p + sz] + fx * (u[p + sz + sx] - u[p + sz]);
                double c11 = u[p + sz + sy] + fx * (u[p + sz + sy + sx] - u[p + sz + sy]);
                double c0 = c00 + fy * (c10 - c00);
                double c1 = c01 + fy * (c11 - c01);
                out[d] = c0 + fz * (c1 - c0);
            }
        }

        private static double clamp(double v, double max) {
            return v <= 0 ? 0 : (v >= max ? max : v);
        }
    }

    /**
     * Standard normal deviates by inverting the normal CDF through a table: one 64-bit draw per
     * deviate, no transcendental call per voxel, and the same numbers on every platform and JDK
     * (the JDK's own {@code nextGaussian} may change between releases). The table holds
     * {@code Φ⁻¹((i + ½)/N)} and is interpolated linearly, so tails are cut at about ±4σ.
     */
    static final class Gaussian {
        private static final int BITS = 14;
        private static final int N = 1 << BITS;
        private static final double[] QUANTILES = quantiles();

        private final SplittableRandom rng;

        Gaussian(SplittableRandom rng) {
            this.rng = rng;
        }

        double next() {
            // why: the table holds quantiles at (i + ½)/N, so u·N − ½ is the position between entries
            double t = (rng.nextLong() >>> 11) * 0x1.0p-53 * N - 0.5;
            int i = (int) Math.floor(t);
            if (i < 0) {
                return QUANTILES[0];
            }
            if (i >= N - 1) {
                return QUANTILES[N - 1];
            }
            double f = t - i;
            return QUANTILES[i] + f * (QUANTILES[i + 1] - QUANTILES[i]);
        }

        private static double[] quantiles() {
            double[] q = new double[N];
            for (int i = 0; i < N; i++) {
                q[i] = inverseNormalCdf((i + 0.5) / N);
            }
            return q;
        }

        /** Acklam's rational approximation of Φ⁻¹ (relative error below 1.2e-9), StrictMath for reproducibility. */
        static double inverseNormalCdf(double p) {
            final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
            final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                6.680131188771972e+01, -1.328068155288572e+01};
            final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
            final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                3.754408661907416e+00};
            final double low = 0.02425;
            if (p < low) {
                double q = StrictMath.sqrt(-2 * StrictMath.log(p));
                return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            }
            if (p > 1 - low) {
                double q = StrictMath.sqrt(-2 * StrictMath.log(1 - p));
                return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            }
            double q = p - 0.5;
            double r = q * q;
            return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
    }
}
