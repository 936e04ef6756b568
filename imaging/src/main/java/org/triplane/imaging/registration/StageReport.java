package org.triplane.imaging.registration;

/**
 * What one stage of a registration did.
 *
 * @param name       {@code pyramid} (downsampling the scan, no metric), {@code rotation-search},
 *                   {@code rigid} or {@code affine}
 * @param spacingMm  voxel size of the scan pyramid level the stage ran on (x, y, z of the scan grid, mm)
 * @param samples    scan samples compared (voxels within the head's margin)
 * @param iterations metric evaluations (each with its gradient, except in the rotation search)
 * @param ncc        NCC at the end of the stage
 * @param seconds    wall time of the stage
 */
public record StageReport(String name, double[] spacingMm, int samples, int iterations, double ncc, double seconds) {

    public StageReport {
        spacingMm = spacingMm.clone();
    }

    @Override
    public double[] spacingMm() {
        return spacingMm.clone();
    }
}
