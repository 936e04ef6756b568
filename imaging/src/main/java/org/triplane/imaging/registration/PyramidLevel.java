package org.triplane.imaging.registration;

import org.triplane.imaging.volume.Geometry;

/**
 * One resolution of an image pyramid: the windowed HU ({@link IntensityWindow}) and, per voxel,
 * the share of the original voxels that were tissue (HU above {@link Downsampler#TISSUE_HU}), both
 * block averages over the same voxels, on one grid (x fastest, LPS mm).
 */
record PyramidLevel(FloatGrid image, FloatGrid tissue) {

    PyramidLevel {
        if (!image.geometry().sameGrid(tissue.geometry(), 0)) {
            throw new IllegalArgumentException("image and tissue share must lie on one grid");
        }
    }

    Geometry geometry() {
        return image.geometry();
    }

    /**
     * This level with its image less its local mean ({@link HighPass}), the tissue share as it is;
     * the level itself when {@code radiusMm} ≤ 0.
     */
    PyramidLevel highPassed(double radiusMm) {
        return radiusMm > 0 ? new PyramidLevel(HighPass.of(image, radiusMm), tissue) : this;
    }

    /** Tissue volume in mL: the sum of the tissue shares times the voxel volume. */
    double tissueMl() {
        double[] s = geometry().spacing();
        double voxelMl = s[0] * s[1] * s[2] / 1000.0;
        double sum = 0;
        for (float v : tissue.values()) {
            sum += v;
        }
        return sum * voxelMl;
    }
}
