package org.triplane.segmentation.data;

import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * One scan resampled onto a model grid, ready to be cut into any plane's slices; made by
 * {@link SampleBuilder#toModelGrid}. Keeping it lets the three planes share one resampling.
 *
 * @param id          the scan's id
 * @param scanGrid    the scan's own grid (where predictions must go back to)
 * @param windowed    uint8 window bytes 0..254 on the model grid (x fastest, LPS mm)
 * @param labels      uint8 labels 0..20 on the model grid, or {@code null} when the scan is unlabelled
 * @param midlineXMm  LPS x (mm) of the scan's mid-sagittal plane, estimated on the scan grid
 * @param atlas       this scan's own atlas channels (the atlas moved by its deformable registration),
 *                    or {@code null} for the grid's shared ones
 */
public record ModelGridScan(String id, Geometry scanGrid, Volume windowed, Volume labels, double midlineXMm,
                            AtlasChannels atlas) {

    public ModelGridScan(String id, Geometry scanGrid, Volume windowed, Volume labels, double midlineXMm) {
        this(id, scanGrid, windowed, labels, midlineXMm, null);
    }

    public boolean labelled() {
        return labels != null;
    }

    /** The model grid placed on this scan. */
    public Geometry modelGrid() {
        return windowed.geometry();
    }
}
