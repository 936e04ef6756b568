package org.triplane.imaging.registration;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * The atlas's ASPECTS labels carried onto a registered scan: the atlas method, a prediction made
 * by registration alone (no network).
 */
public final class AtlasLabels {
    private AtlasLabels() {
    }

    /**
     * Atlas labels 0..20 (uint8, x fastest) on {@code result}'s scan grid (same geometry, LPS mm):
     * {@code out(p) = atlasLabel(scanToAtlas(p))}, nearest neighbour, 0 outside the atlas.
     */
    public static Volume onScanGrid(RegistrationResult result, int threads) {
        Volume out = Volume.allocate(result.scanGrid(), DataType.UINT8);
        new Resampler(threads).resampleRows(Atlas.get().labels(), result.scanGrid(), result.scanToAtlas(),
                Interpolation.NEAREST, 0, out.voxels()::setRow);
        return out;
    }

    /**
     * Atlas labels 0..20 (uint8, x fastest) on any {@code grid} placed on the scan by
     * {@code gridToScan} (grid point → scan point, LPS mm, as ITK resamples; for the scan's rotated
     * grid the transform it was rotated with): {@code out(p) = atlasLabel(scanToAtlas(gridToScan(p)))},
     * nearest neighbour, 0 outside the atlas.
     */
    public static Volume onGrid(RegistrationResult result, Geometry grid, AffineTransform gridToScan, int threads) {
        Volume out = Volume.allocate(grid, DataType.UINT8);
        new Resampler(threads).resampleRows(Atlas.get().labels(), grid, result.scanToAtlas().compose(gridToScan),
                Interpolation.NEAREST, 0, out.voxels()::setRow);
        return out;
    }
}
