package org.triplane.imaging.registration;

/**
 * How {@link AtlasRegistration} runs. Build with {@link #builder()}; every field has a default
 * measured on synthetic scans (see BENCHMARKS.md, "Atlas registration against elastix").
 *
 * @param threads             worker threads (≥ 1)
 * @param window              HU band compared (template and scan both clamped to it)
 * @param levelsMm            pyramid voxel sizes, coarsest first (mm); the scan is block-averaged
 *                            to about these sizes, the template to match
 * @param rotationSearchDeg   the coarse search tries rotations up to ± this about each LPS axis (°)
 * @param rotationStepDeg     step of that search (°)
 * @param candidates          best search rotations refined before one is kept
 * @param maxIterations       iteration cap of each optimisation stage
 * @param minQuality          lowest acceptable final NCC inside the head
 * @param minScale            smallest acceptable head scale (scan head size / template), per principal axis
 * @param maxScale            largest acceptable head scale
 * @param minTissueMl         least tissue (HU above −500) a head CT must show, mL
 * @param maxTissueMl         most tissue a head CT can show, mL (more is a trunk, or no air at all)
 */
public record RegistrationSettings(int threads, IntensityWindow window, double[] levelsMm, double rotationSearchDeg,
                                   double rotationStepDeg, int candidates, int maxIterations, double minQuality,
                                   double minScale, double maxScale, double minTissueMl, double maxTissueMl) {

    public RegistrationSettings {
        levelsMm = levelsMm.clone();
    }

    @Override
    public double[] levelsMm() {
        return levelsMm.clone();
    }

    /** Defaults with one thread per available processor. */
    public static RegistrationSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder: {@code set…} for what one usually changes, {@code opt…} for tuning. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private IntensityWindow window = new IntensityWindow(-100, 200);
        private double[] levelsMm = {8, 4, 2};
        private double rotationSearchDeg = 20;
        private double rotationStepDeg = 10;
        private int candidates = 3;
        private int maxIterations = 100;
        private double minQuality = 0.85;
        private double minScale = 0.7;
        private double maxScale = 1.4;
        private double minTissueMl = 300;
        private double maxTissueMl = 8000;

        public Builder setThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder optWindow(IntensityWindow window) {
            this.window = window;
            return this;
        }

        public Builder optLevelsMm(double... levelsMm) {
            this.levelsMm = levelsMm.clone();
            return this;
        }

        public Builder optRotationSearch(double rangeDeg, double stepDeg) {
            this.rotationSearchDeg = rangeDeg;
            this.rotationStepDeg = stepDeg;
            return this;
        }

        public Builder optCandidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        public Builder optMinQuality(double minQuality) {
            this.minQuality = minQuality;
            return this;
        }

        public Builder optScaleRange(double minScale, double maxScale) {
            this.minScale = minScale;
            this.maxScale = maxScale;
            return this;
        }

        public Builder optTissueRangeMl(double minTissueMl, double maxTissueMl) {
            this.minTissueMl = minTissueMl;
            this.maxTissueMl = maxTissueMl;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field out of range */
        public void validate() {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
            }
            if (window == null) {
                throw new IllegalArgumentException("window must be set");
            }
            if (levelsMm == null || levelsMm.length == 0) {
                throw new IllegalArgumentException("levelsMm needs at least one level");
            }
            for (int i = 0; i < levelsMm.length; i++) {
                if (!(levelsMm[i] > 0) || !Double.isFinite(levelsMm[i]) || (i > 0 && levelsMm[i] > levelsMm[i - 1])) {
                    throw new IllegalArgumentException("levelsMm must be positive and coarsest first, got "
                            + java.util.Arrays.toString(levelsMm));
                }
            }
            if (!(rotationSearchDeg >= 0) || rotationSearchDeg > 45) {
                throw new IllegalArgumentException("rotationSearchDeg must be in 0..45, got " + rotationSearchDeg);
            }
            if (!(rotationStepDeg > 0)) {
                throw new IllegalArgumentException("rotationStepDeg must be > 0, got " + rotationStepDeg);
            }
            if (candidates < 1) {
                throw new IllegalArgumentException("candidates must be ≥ 1, got " + candidates);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be ≥ 1, got " + maxIterations);
            }
            if (!(minQuality > -1 && minQuality < 1)) {
                throw new IllegalArgumentException("minQuality must be in (−1, 1), got " + minQuality);
            }
            if (!(minScale > 0 && maxScale > minScale)) {
                throw new IllegalArgumentException("scale range must satisfy 0 < minScale < maxScale, got "
                        + minScale + ".." + maxScale);
            }
            if (!(minTissueMl >= 0 && maxTissueMl > minTissueMl)) {
                throw new IllegalArgumentException("tissue range must satisfy 0 ≤ minTissueMl < maxTissueMl, got "
                        + minTissueMl + ".." + maxTissueMl);
            }
        }

        public RegistrationSettings build() {
            validate();
            return new RegistrationSettings(threads, window, levelsMm, rotationSearchDeg, rotationStepDeg, candidates,
                    maxIterations, minQuality, minScale, maxScale, minTissueMl, maxTissueMl);
        }
    }
}
