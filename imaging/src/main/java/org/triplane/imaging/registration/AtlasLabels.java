package org.triplane.imaging.registration;

import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/** The atlas's ASPECTS labels carried onto a registered scan's grid. */
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
}
