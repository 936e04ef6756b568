package org.triplane.preprocess.service;

import org.triplane.imaging.mask.IntracranialMask;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * What the atlas registration yields beside the rotation, free of any framework: the scan's
 * intracranial mask and the atlas method's labels, each on both grids the system stores labels on,
 * the rotated grid (the preprocessed volume's: the CT's own grid seen through the scan's rotation)
 * and the grid of the CT as acquired. The atlas labels are already cleared outside the mask of
 * their grid ({@link IntracranialMask#clearOutside}), as every stored label volume is.
 *
 * <p>Made here because this is the one place that holds the decoded CT and its registration
 * together; the workers downstream read the stored masks instead of decoding the CT and
 * registering again. Volumes: uint8, x fastest, LPS mm, all four on the CT's geometry.
 */
public final class AtlasOutputs {
    private final int threads;

    /** @param threads worker threads (≥ 1); the outputs do not depend on it */
    public AtlasOutputs(int threads) {
        this.threads = threads;
    }

    /**
     * @param maskRotated   intracranial mask on the rotated grid, 0/1
     * @param maskAcquired  intracranial mask on the acquired grid, 0/1
     * @param atlasRotated  the atlas method's labels 0..20 on the rotated grid, cleared outside {@code maskRotated}
     * @param atlasAcquired the atlas method's labels 0..20 on the acquired grid, cleared outside {@code maskAcquired}
     */
    public record Outputs(Volume maskRotated, Volume maskAcquired, Volume atlasRotated, Volume atlasAcquired) {
    }

    /**
     * @param ct      the CT as acquired (HU, the grid it was registered on)
     * @param aligned its rotation (output point → input point, LPS mm) and atlas registration
     */
    public Outputs of(Volume ct, ScanAlignment.Alignment aligned) {
        IntracranialMask mask = IntracranialMask.of(ct, aligned.registration(), IntracranialMask.Settings.defaults(threads));
        // why: the rotated grid is the CT's own grid; its voxel p shows the scan at rotation(p)
        Geometry rotatedGrid = ct.geometry();
        Volume maskRotated = mask.onGrid(rotatedGrid, aligned.rotation());
        Volume atlasRotated = AtlasLabels.onGrid(aligned.registration(), rotatedGrid, aligned.rotation(), threads);
        Volume atlasAcquired = AtlasLabels.onScanGrid(aligned.registration(), threads);
        IntracranialMask.clearOutside(maskRotated, atlasRotated);
        IntracranialMask.clearOutside(mask.volume(), atlasAcquired);
        return new Outputs(maskRotated, mask.volume(), atlasRotated, atlasAcquired);
    }
}
