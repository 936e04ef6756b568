package org.triplane.imaging.fusion;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Carries a uint8 volume made on a scan's ROTATED grid (fused labels, or their support) back onto
 * the grid of the scan as acquired, so that a viewer can overlay it on the stored CT.
 *
 * <p>The rotated scan is {@code rotated(p) = acquired(T(p))} with the scan's transform {@code T}
 * (output→input, LPS mm), so the anatomy labelled at rotated point {@code p} sits at acquired
 * point {@code T(p)}. Hence {@code acquiredLabels(q) = rotatedLabels(T⁻¹(q))}, read by nearest
 * neighbour (labels must never be blended); points whose pre-image falls outside the rotated grid
 * get background 0. A region {@code R} on the rotated grid becomes {@code T(R)} on the acquired
 * grid. Volumes are x fastest, LPS mm.
 */
public final class AcquiredGridMapper {
    private final Resampler resampler;

    /** @param threads worker threads (≥ 1) */
    public AcquiredGridMapper(int threads) {
        this.resampler = new Resampler(threads);
    }

    /**
     * Maps {@code rotated} onto its own grid, the acquired scan's grid in the study's data (the
     * scan and its rotation share one grid).
     *
     * @param rotated   uint8 volume on the rotated grid
     * @param transform the scan's transform {@code T}, as read from its ITK transform file
     */
    public Volume toAcquired(Volume rotated, AffineTransform transform) {
        return toAcquired(rotated, transform, rotated.geometry());
    }

    /**
     * Maps {@code rotated} onto {@code acquiredGrid}: {@code out(q) = rotated(T⁻¹(q))}, nearest
     * neighbour, 0 outside.
     *
     * @throws IllegalArgumentException when {@code rotated} is not uint8 or {@code T} cannot be inverted
     */
    public Volume toAcquired(Volume rotated, AffineTransform transform, Geometry acquiredGrid) {
        if (rotated.type() != DataType.UINT8) {
            throw new IllegalArgumentException("only uint8 label volumes are mapped back, got " + rotated.type().label());
        }
        AffineTransform inverse;
        try {
            inverse = transform.inverse();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scan transform cannot be inverted: " + transform, e);
        }
        Volume out = Volume.allocate(acquiredGrid, DataType.UINT8);
        byte[] src = ((VoxelBuffer.UInt8) rotated.voxels()).data;
        byte[] dst = ((VoxelBuffer.UInt8) out.voxels()).data;
        // why the voxels' indices: nearest neighbour copies a label byte as it is, and outside stays 0
        resampler.nearestRows(rotated.geometry(), acquiredGrid, inverse, (offset, source, n) -> {
            for (int i = 0; i < n; i++) {
                int s = source[i];
                if (s >= 0) {
                    dst[offset + i] = src[s];
                }
            }
        });
        return out;
    }
}
