package org.triplane.imaging.registration;

import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

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
     * Atlas labels 0..20 (uint8, x fastest) on {@code grid} through a deformable map:
     * {@code out(p) = atlasLabel(F(g(p)))} with {@code g} = {@code gridToScan} (identity when null)
     * and {@code F} = {@code warp}, nearest neighbour, 0 outside the atlas.
     */
    public static Volume onGrid(Geometry grid, AffineTransform gridToScan, AtlasWarp warp, int threads) {
        Volume atlas = Atlas.get().labels();
        byte[] src = ((VoxelBuffer.UInt8) atlas.voxels()).data;
        Geometry ag = atlas.geometry();
        double[] toIndex = ag.physicalToIndexMatrix();
        double[] ao = ag.origin();
        Volume out = Volume.allocate(grid, DataType.UINT8);
        byte[] dst = ((VoxelBuffer.UInt8) out.voxels()).data;
        int nx = grid.nx();
        int ny = grid.ny();
        AtomicInteger next = new AtomicInteger();
        Workers.run(Math.max(1, threads), "atlas-labels", () -> {
            double[] a = new double[3];
            for (int k = next.getAndIncrement(); k < grid.nz(); k = next.getAndIncrement()) {
                for (int j = 0; j < ny; j++) {
                    for (int i = 0; i < nx; i++) {
                        double[] p = grid.indexToPhysical(i, j, k);
                        if (gridToScan != null) {
                            p = gridToScan.apply(p);
                        }
                        double[] x = warp.apply(p);
                        a[0] = x[0] - ao[0];
                        a[1] = x[1] - ao[1];
                        a[2] = x[2] - ao[2];
                        long ii = Math.round(toIndex[0] * a[0] + toIndex[1] * a[1] + toIndex[2] * a[2]);
                        long jj = Math.round(toIndex[3] * a[0] + toIndex[4] * a[1] + toIndex[5] * a[2]);
                        long kk = Math.round(toIndex[6] * a[0] + toIndex[7] * a[1] + toIndex[8] * a[2]);
                        if (ii >= 0 && jj >= 0 && kk >= 0 && ii < ag.nx() && jj < ag.ny() && kk < ag.nz()) {
                            dst[i + nx * (j + ny * k)] = src[(int) (ii + ag.nx() * (jj + ag.ny() * kk))];
                        }
                    }
                }
            }
        });
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
