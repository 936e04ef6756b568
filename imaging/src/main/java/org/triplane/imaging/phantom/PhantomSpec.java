package org.triplane.imaging.phantom;

import java.util.Arrays;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.volume.Geometry;

/**
 * What synthetic scans to make: the voxel grid, the seed, and how much subjects vary.
 *
 * <p>The grid is written the way scanners write axial CT: {@code nx × ny × nz} voxels stored x
 * fastest, {@code spacing} in mm along x, y, z, ITK direction identity (array axes along LPS
 * x, y, z), origin chosen so that the centre of the grid lies at LPS {@code (0, 0, centreZ)} mm.
 * The same spec and seed always give byte-identical subjects.
 *
 * <p>Scanner variety ({@link Acquisition}): where the head lies in the field of view, how much of
 * it the slices cover, gantry tilt and HU calibration. {@link Acquisition#NONE} (the default)
 * changes nothing.
 *
 * @param nx       voxels along x (LPS, toward patient left)
 * @param ny       voxels along y (LPS, toward posterior)
 * @param nz       slices along z (LPS, toward superior)
 * @param spacing  voxel size along x, y, z in mm
 * @param centreZ  LPS z of the grid centre in mm (a table position, not the head's)
 * @param seed     master seed; subject {@code n} derives its own stream from it
 * @param variation how subjects differ from the atlas and from each other
 * @param acquisition how the scanner placed, covered, tilted and calibrated the scan
 */
public record PhantomSpec(int nx, int ny, int nz, double[] spacing, double centreZ, long seed, Variation variation,
                          Acquisition acquisition) {

    /** The study's grid: 512×512×110 voxels of 0.45×0.45×1.25 mm. */
    public static final int STUDY_NX = 512;
    public static final int STUDY_NY = 512;
    public static final int STUDY_NZ = 110;
    private static final double[] STUDY_SPACING_MM = {0.45, 0.45, 1.25};
    /** Default grid centre z (LPS mm); non-zero so that the centre of rotation is never accidentally the origin. */
    public static final double DEFAULT_CENTRE_Z_MM = -60.0;

    public PhantomSpec {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("grid dimensions must be positive: " + nx + "×" + ny + "×" + nz);
        }
        if (nx > Short.MAX_VALUE || ny > Short.MAX_VALUE || nz > Short.MAX_VALUE) {
            throw new IllegalArgumentException("NIfTI-1 cannot hold dimensions above 32767: " + nx + "×" + ny + "×" + nz);
        }
        if ((long) nx * ny * nz > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("grid of " + (long) nx * ny * nz + " voxels is larger than one array can hold");
        }
        if (spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException("spacing needs 3 numbers (mm along x, y, z)");
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("spacing must be positive and finite: " + Arrays.toString(spacing));
            }
        }
        if (!Double.isFinite(centreZ)) {
            throw new IllegalArgumentException("centreZ must be finite");
        }
        if (variation == null) {
            throw new IllegalArgumentException("variation must not be null");
        }
        if (acquisition == null) {
            throw new IllegalArgumentException("acquisition must not be null");
        }
        spacing = spacing.clone();
    }

    /** A spec with {@link Acquisition#NONE}: head centred, no tilt, no calibration offset. */
    public PhantomSpec(int nx, int ny, int nz, double[] spacing, double centreZ, long seed, Variation variation) {
        this(nx, ny, nz, spacing, centreZ, seed, variation, Acquisition.NONE);
    }

    /** The study's grid with default variation. */
    public static PhantomSpec study(long seed) {
        return new PhantomSpec(STUDY_NX, STUDY_NY, STUDY_NZ, STUDY_SPACING_MM, DEFAULT_CENTRE_Z_MM, seed, Variation.DEFAULT);
    }

    /** Any grid with default variation and the default centre. */
    public static PhantomSpec of(int nx, int ny, int nz, double[] spacing, long seed) {
        return new PhantomSpec(nx, ny, nz, spacing, DEFAULT_CENTRE_Z_MM, seed, Variation.DEFAULT);
    }

    /**
     * A grid of about {@code fieldMm} (x, y, z) at {@code spacing} (mm), default variation: each
     * dimension is {@code round(field / spacing)}, at least 1, so the field of view stays what a
     * protocol states whatever the voxel size (in-plane 0.4–1.0 mm, slices 1–5 mm are typical).
     */
    public static PhantomSpec ofField(double[] fieldMm, double[] spacing, long seed) {
        if (fieldMm == null || fieldMm.length != 3 || spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException("field of view and spacing need 3 numbers each (mm along x, y, z)");
        }
        int[] n = new int[3];
        for (int d = 0; d < 3; d++) {
            if (!(fieldMm[d] > 0) || !Double.isFinite(fieldMm[d]) || !(spacing[d] > 0) || !Double.isFinite(spacing[d])) {
                throw new IllegalArgumentException("field of view " + Arrays.toString(fieldMm) + " mm and spacing "
                        + Arrays.toString(spacing) + " mm must be positive and finite");
            }
            double count = Math.max(1, Math.round(fieldMm[d] / spacing[d]));
            if (count > Short.MAX_VALUE) {
                throw new IllegalArgumentException("field of view " + fieldMm[d] + " mm at " + spacing[d]
                        + " mm needs " + (long) count + " voxels, more than NIfTI-1 holds");
            }
            n[d] = (int) count;
        }
        return of(n[0], n[1], n[2], spacing, seed);
    }

    public PhantomSpec withSeed(long newSeed) {
        return new PhantomSpec(nx, ny, nz, spacing, centreZ, newSeed, variation, acquisition);
    }

    public PhantomSpec withVariation(Variation newVariation) {
        return new PhantomSpec(nx, ny, nz, spacing, centreZ, seed, newVariation, acquisition);
    }

    public PhantomSpec withCentreZ(double newCentreZ) {
        return new PhantomSpec(nx, ny, nz, spacing, newCentreZ, seed, variation, acquisition);
    }

    public PhantomSpec withAcquisition(Acquisition newAcquisition) {
        return new PhantomSpec(nx, ny, nz, spacing, centreZ, seed, variation, newAcquisition);
    }

    /** The scan grid: identity direction, centre at LPS {@code (0, 0, centreZ)} mm. */
    public Geometry geometry() {
        double[] origin = {
            -(nx - 1) / 2.0 * spacing[0],
            -(ny - 1) / 2.0 * spacing[1],
            centreZ - (nz - 1) / 2.0 * spacing[2],
        };
        return Geometry.axisAligned(nx, ny, nz, spacing, origin);
    }

    @Override
    public double[] spacing() {
        return spacing.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhantomSpec s && nx == s.nx && ny == s.ny && nz == s.nz && Arrays.equals(spacing, s.spacing)
                && Double.compare(centreZ, s.centreZ) == 0 && seed == s.seed && variation.equals(s.variation)
                && acquisition.equals(s.acquisition);
    }

    @Override
    public int hashCode() {
        return ((nx * 31 + ny) * 31 + nz) * 31 + Arrays.hashCode(spacing) * 17 + Double.hashCode(centreZ) * 7
                + Long.hashCode(seed) * 3 + variation.hashCode() + 11 * acquisition.hashCode();
    }

    @Override
    public String toString() {
        return "PhantomSpec[" + nx + "×" + ny + "×" + nz + ", spacing " + Arrays.toString(spacing) + " mm, centre z "
                + centreZ + " mm (LPS), seed " + seed + ", " + variation + ", " + acquisition + "]";
    }

    /**
     * The gantry tilt as a map from a point of the stored grid to the point it really shows (LPS
     * mm): {@code G(q) = (q_x, g_y + cos θ·(q_y − g_y), q_z + sin θ·(q_y − g_y))} with {@code g}
     * the grid centre and {@code θ} = {@link Acquisition#tiltDeg()}; the identity without tilt.
     * See {@link Acquisition} for why the anatomy, not the grid, carries the tilt.
     */
    public AffineTransform tiltMap() {
        double t = Math.toRadians(acquisition.tiltDeg());
        double[] m = {1, 0, 0, 0, Math.cos(t), 0, 0, Math.sin(t), 1};
        return new AffineTransform(m, geometry().centre(), new double[3]);
    }

    /**
     * How much a subject differs from the atlas, in HU for intensities and mm (LPS) for geometry; it
     * does not change the grid or its array order (x fastest). Every random quantity is drawn uniformly from the
     * symmetric range given, except the noise level, drawn from {@code [noiseMinHu, noiseMaxHu]}.
     *
     * @param scaleRange         head size: per-axis scale in {@code 1 ± scaleRange} about the brain centre
     * @param warpSpacingMm      spacing of the random displacement control grid (mm)
     * @param warpAmplitudeMm    largest displacement per component at a control point (mm)
     * @param globalOffsetHu     per-subject tissue offset, {@code ± globalOffsetHu} HU
     * @param regionOffsetHu     per-region offset inside the ASPECTS regions, {@code ± regionOffsetHu} HU,
     *                           the same on both sides (an asymmetry would mimic disease)
     * @param biasHu             bound on the smooth low-frequency bias field (HU)
     * @param noiseMinHu         smallest Gaussian noise σ inside the head (HU)
     * @param noiseMaxHu         largest Gaussian noise σ inside the head (HU)
     * @param maxRotationDeg     head pose: each Euler angle in {@code ± maxRotationDeg} degrees
     * @param maxTranslationMm   head pose: each translation component in {@code ± maxTranslationMm} mm
     */
    public record Variation(double scaleRange, double warpSpacingMm, double warpAmplitudeMm, double globalOffsetHu,
                            double regionOffsetHu, double biasHu, double noiseMinHu, double noiseMaxHu,
                            double maxRotationDeg, double maxTranslationMm) {

        /** Moderate adult variation, noise of a routine non-contrast head CT, small positioning errors. */
        public static final Variation DEFAULT = new Variation(0.08, 25.0, 3.0, 3.0, 1.5, 2.0, 3.0, 6.0, 12.0, 6.0);

        /** The atlas itself: no scaling, warp, HU changes, noise or pose. */
        public static final Variation NONE = new Variation(0, 25.0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Variation {
            double[] all = {scaleRange, warpSpacingMm, warpAmplitudeMm, globalOffsetHu, regionOffsetHu, biasHu,
                noiseMinHu, noiseMaxHu, maxRotationDeg, maxTranslationMm};
            for (double v : all) {
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("variation values must be finite and ≥ 0: " + Arrays.toString(all));
                }
            }
            if (scaleRange >= 0.5) {
                throw new IllegalArgumentException("scaleRange must be < 0.5, got " + scaleRange);
            }
            if (!(warpSpacingMm >= 5)) {
                throw new IllegalArgumentException("warpSpacingMm must be ≥ 5 mm, got " + warpSpacingMm);
            }
            // why: trilinear interpolation bounds every displacement derivative by 2A/s; keeping three
            // of them below the smallest inverse scale keeps the Jacobian non-singular (Gershgorin),
            // so the warp can never fold
            if (6 * warpAmplitudeMm / warpSpacingMm >= 1 / (1 + scaleRange)) {
                throw new IllegalArgumentException("warp of ±" + warpAmplitudeMm + " mm at " + warpSpacingMm
                        + " mm spacing could fold: need 6·amplitude/spacing < 1/(1 + scaleRange)");
            }
            if (noiseMaxHu < noiseMinHu) {
                throw new IllegalArgumentException("noiseMaxHu < noiseMinHu: " + noiseMaxHu + " < " + noiseMinHu);
            }
            if (maxRotationDeg > 45) {
                throw new IllegalArgumentException("maxRotationDeg must be ≤ 45°, got " + maxRotationDeg);
            }
        }

        /** The same variation with another pose range. */
        public Variation withPose(double newMaxRotationDeg, double newMaxTranslationMm) {
            return new Variation(scaleRange, warpSpacingMm, warpAmplitudeMm, globalOffsetHu, regionOffsetHu, biasHu,
                    noiseMinHu, noiseMaxHu, newMaxRotationDeg, newMaxTranslationMm);
        }

        /** The same variation with another noise range (HU). */
        public Variation withNoise(double newNoiseMinHu, double newNoiseMaxHu) {
            return new Variation(scaleRange, warpSpacingMm, warpAmplitudeMm, globalOffsetHu, regionOffsetHu, biasHu,
                    newNoiseMinHu, newNoiseMaxHu, maxRotationDeg, maxTranslationMm);
        }
    }

    /**
     * How the scanner acquired the scan, as opposed to how the subject differs
     * ({@link Variation}). All distances LPS mm in the stored grid's frame (x toward patient left,
     * y posterior, z superior); nothing here is random, so two specs that differ only here show the
     * same subject.
     *
     * <ul>
     *   <li><b>Field of view</b>: the head is moved by {@code (offsetXMm, offsetYMm)} within the
     *       grid, so its brain centre appears that far from the grid centre (plus the pose's random
     *       translation) — a head not centred in the field of view. The same shift moves the labels
     *       on the canonical grid, so they still line up with the rotated CT.</li>
     *   <li><b>Partial coverage</b>: with {@code vertexCutMm > 0} the head is moved along z so that
     *       the top {@code vertexCutMm} of the subject's brain (the atlas brain mask with the
     *       subject's size, pose and tilt; the smooth warp of at most a few mm is not counted) lie
     *       above the centre of the highest slice; {@code baseCutMm > 0} likewise leaves the lowest
     *       {@code baseCutMm} of the brain (the posterior fossa under the cerebellum first) below the
     *       lowest slice. At most one of the two; 0 leaves the brain centre at the grid centre's
     *       height. Labels are 0 wherever the rotated scan has no data
     *       ({@code pose(p)} outside the grid), as an annotator sees nothing there.</li>
     *   <li><b>Gantry tilt</b> {@code tiltDeg} (|θ| ≤ 30°) about the x axis. A tilted acquisition's
     *       slices are planes tilted by θ, stacked along the table (z). Converters store it in two
     *       ways: a rhomboid grid whose NIfTI sform holds the shear — ITK (and this project's reader,
     *       which follows it) cannot hold a shear and falls back to the orthonormal qform, and
     *       converters that stack slices by table position ignore it alike — or a copy resampled
     *       onto a rectangular grid (dcm2niix's {@code _Tilt}), whose anatomy is correct. Only the
     *       first differs from an untilted scan, so that is what is made: the grid stays axis
     *       aligned and the anatomy is sheared, voxel {@code q} showing the true point
     *       {@link PhantomSpec#tiltMap() G(q)}. The labels come from the same sheared anatomy and
     *       the transform file stays a rotation, as an annotator can only rotate what they see.</li>
     *   <li><b>Calibration</b>: {@code calibrationHu} is added to every tissue voxel (a scanner whose
     *       water reads e.g. +10 HU); air stays −1024.</li>
     * </ul>
     *
     * @param offsetXMm     head shift along x in the grid (mm)
     * @param offsetYMm     head shift along y in the grid (mm)
     * @param vertexCutMm   brain height above the highest slice (mm, ≥ 0; 0 = not placed by it)
     * @param baseCutMm     brain height below the lowest slice (mm, ≥ 0; 0 = not placed by it)
     * @param tiltDeg       gantry tilt θ (degrees, −30..30)
     * @param calibrationHu HU added to tissue (−200..200)
     */
    public record Acquisition(double offsetXMm, double offsetYMm, double vertexCutMm, double baseCutMm,
                              double tiltDeg, double calibrationHu) {

        /** Head centred, whole height as the grid allows, no tilt, calibrated. */
        public static final Acquisition NONE = new Acquisition(0, 0, 0, 0, 0, 0);

        public Acquisition {
            double[] all = {offsetXMm, offsetYMm, vertexCutMm, baseCutMm, tiltDeg, calibrationHu};
            for (double v : all) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("acquisition values must be finite: " + Arrays.toString(all));
                }
            }
            if (vertexCutMm < 0 || baseCutMm < 0) {
                throw new IllegalArgumentException("vertexCutMm and baseCutMm must be ≥ 0, got " + vertexCutMm + " and " + baseCutMm);
            }
            if (vertexCutMm > 0 && baseCutMm > 0) {
                throw new IllegalArgumentException("give vertexCutMm or baseCutMm, not both: the cut decides the head's height");
            }
            if (Math.abs(tiltDeg) > 30) {
                throw new IllegalArgumentException("tiltDeg must be within ±30°, got " + tiltDeg);
            }
            if (Math.abs(calibrationHu) > 200) {
                throw new IllegalArgumentException("calibrationHu must be within ±200 HU, got " + calibrationHu);
            }
        }

        public Acquisition withOffset(double newOffsetXMm, double newOffsetYMm) {
            return new Acquisition(newOffsetXMm, newOffsetYMm, vertexCutMm, baseCutMm, tiltDeg, calibrationHu);
        }

        public Acquisition withVertexCut(double mm) {
            return new Acquisition(offsetXMm, offsetYMm, mm, 0, tiltDeg, calibrationHu);
        }

        public Acquisition withBaseCut(double mm) {
            return new Acquisition(offsetXMm, offsetYMm, 0, mm, tiltDeg, calibrationHu);
        }

        public Acquisition withTilt(double degrees) {
            return new Acquisition(offsetXMm, offsetYMm, vertexCutMm, baseCutMm, degrees, calibrationHu);
        }

        public Acquisition withCalibration(double hu) {
            return new Acquisition(offsetXMm, offsetYMm, vertexCutMm, baseCutMm, tiltDeg, hu);
        }
    }
}
