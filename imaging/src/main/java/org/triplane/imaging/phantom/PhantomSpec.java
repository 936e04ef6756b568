package org.triplane.imaging.phantom;

import java.util.Arrays;
import org.triplane.imaging.volume.Geometry;

/**
 * What synthetic scans to make: the voxel grid, the seed, and how much subjects vary.
 *
 * <p>The grid is written the way scanners write axial CT: {@code nx × ny × nz} voxels stored x
 * fastest, {@code spacing} in mm along x, y, z, ITK direction identity (array axes along LPS
 * x, y, z), origin chosen so that the centre of the grid lies at LPS {@code (0, 0, centreZ)} mm.
 * The same spec and seed always give byte-identical subjects.
 *
 * @param nx       voxels along x (LPS, toward patient left)
 * @param ny       voxels along y (LPS, toward posterior)
 * @param nz       slices along z (LPS, toward superior)
 * @param spacing  voxel size along x, y, z in mm
 * @param centreZ  LPS z of the grid centre in mm (a table position, not the head's)
 * @param seed     master seed; subject {@code n} derives its own stream from it
 * @param variation how subjects differ from the atlas and from each other
 */
public record PhantomSpec(int nx, int ny, int nz, double[] spacing, double centreZ, long seed, Variation variation) {

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
        spacing = spacing.clone();
    }

    /** The study's grid with default variation. */
    public static PhantomSpec study(long seed) {
        return new PhantomSpec(STUDY_NX, STUDY_NY, STUDY_NZ, STUDY_SPACING_MM, DEFAULT_CENTRE_Z_MM, seed, Variation.DEFAULT);
    }

    /** Any grid with default variation and the default centre. */
    public static PhantomSpec of(int nx, int ny, int nz, double[] spacing, long seed) {
        return new PhantomSpec(nx, ny, nz, spacing, DEFAULT_CENTRE_Z_MM, seed, Variation.DEFAULT);
    }

    public PhantomSpec withSeed(long newSeed) {
        return new PhantomSpec(nx, ny, nz, spacing, centreZ, newSeed, variation);
    }

    public PhantomSpec withVariation(Variation newVariation) {
        return new PhantomSpec(nx, ny, nz, spacing, centreZ, seed, newVariation);
    }

    public PhantomSpec withCentreZ(double newCentreZ) {
        return new PhantomSpec(nx, ny, nz, spacing, newCentreZ, seed, variation);
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
                && Double.compare(centreZ, s.centreZ) == 0 && seed == s.seed && variation.equals(s.variation);
    }

    @Override
    public int hashCode() {
        return ((nx * 31 + ny) * 31 + nz) * 31 + Arrays.hashCode(spacing) * 17 + Double.hashCode(centreZ) * 7
                + Long.hashCode(seed) * 3 + variation.hashCode();
    }

    @Override
    public String toString() {
        return "PhantomSpec[" + nx + "×" + ny + "×" + nz + ", spacing " + Arrays.toString(spacing) + " mm, centre z "
                + centreZ + " mm (LPS), seed " + seed + ", " + variation + "]";
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
}
