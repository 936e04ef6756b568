package org.triplane.imaging.phantom;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * One synthetic study, laid out like the study's data: a CT as acquired, the transform that
 * rotates it into the canonical (labelling) orientation, and the labels in that orientation.
 *
 * <p>Both volumes share one grid (LPS mm, x fastest). Resampling {@code ct} through {@code pose}
 * onto its own grid ({@code out(p) = ct(pose(p))}) lines the anatomy up with {@code labels}.
 *
 * @param number       subject number (1-based, as in the file names)
 * @param ct           int16 HU in −1024..3071, the scan as acquired
 * @param labels       uint8 ASPECTS labels 0..20 in canonical orientation (1..10 patient left)
 * @param pose         output→input map (LPS mm), rotation about the grid centre folded into the
 *                     translation so that its centre is (0, 0, 0)
 * @param headScale    per-axis head size relative to the atlas (x, y, z)
 * @param noiseSigmaHu standard deviation of the Gaussian noise inside the head (HU)
 */
public record PhantomSubject(int number, Volume ct, Volume labels, AffineTransform pose, double[] headScale,
                             double noiseSigmaHu) {

    public PhantomSubject {
        if (!ct.geometry().sameGrid(labels.geometry(), 0)) {
            throw new IllegalArgumentException("CT and labels must share one grid");
        }
        if (ct.type() != DataType.INT16 || labels.type() != DataType.UINT8) {
            throw new IllegalArgumentException("expected an int16 CT and uint8 labels, got " + ct.type().label() + " and " + labels.type().label());
        }
        headScale = headScale.clone();
    }

    @Override
    public double[] headScale() {
        return headScale.clone();
    }

    /** Voxels per label 0..20 of {@link #labels()} (index = label). */
    public long[] labelCounts() {
        long[] counts = new long[AspectsRegion.CLASSES_WITH_BACKGROUND];
        for (byte b : ((VoxelBuffer.UInt8) labels.voxels()).data) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /** The pose's rotation as the study decomposed it ({@code Rz·Ry·Rx}, radians). */
    public EulerAngles eulerAngles() {
        return EulerAngles.of(pose.matrix());
    }
}
