package org.triplane.imaging.metrics;

/**
 * Size and density of one predicted ASPECTS region in the scan as acquired.
 *
 * @param label    ASPECTS label 1..20
 * @param name     side and region, e.g. {@code left M4}
 * @param voxels   voxels carrying the label
 * @param volumeMl {@code voxels ×} voxel volume, mL
 * @param meanHu   mean CT value inside the region, HU; NaN when the region is absent
 * @param medianHu median CT value inside the region, HU, from a 1-HU histogram (the lower middle
 *                 value for an even count); NaN when the region is absent
 */
public record RegionMeasurement(int label, String name, long voxels, double volumeMl, double meanHu, double medianHu) {

    /** True when the segmentation holds at least one voxel of this region. */
    public boolean present() {
        return voxels > 0;
    }
}
