package org.triplane.gateway.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.triplane.imaging.nifti.NiftiVoxelStream;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Geometry;

/**
 * Renders a scan's overlays from its CT and label files without holding either volume: one pass
 * over the labels counts the labelled voxels per slice (which slices to show), a second pass over
 * each file keeps only those slices ({@link SliceSlabs}). Memory: the chosen slices, a few MB for
 * a 512×512×600 scan, whose CT alone is 315 MB.
 */
final class StreamedOverlays {

    private StreamedOverlays() {
    }

    /**
     * @param ct       the CT as acquired (NIfTI, HU)
     * @param labels   the fused labels on the CT's grid (NIfTI, 0..20)
     * @param limits   what the files' headers may declare
     * @param windowLo lower window bound, HU
     * @param windowHi upper window bound, HU
     * @return the overlays, as {@link OverlayRenderer#render}
     */
    static Map<Plane, List<OverlayRenderer.Overlay>> render(Path ct, Path labels, VolumeLimits limits, double windowLo,
                                                            double windowHi) throws IOException {
        Geometry grid;
        LabelledPerSlice counts;
        try (NiftiVoxelStream stream = NiftiVoxelStream.open(labels, limits)) {
            grid = stream.header().geometry();
            counts = new LabelledPerSlice(grid);
            stream.forEachRun(counts::add);
        }
        List<OverlayRenderer.SliceChoice> choices = OverlayRenderer.choose(grid, counts);
        SliceSlabs slabs = new SliceSlabs(grid, choices);
        try (NiftiVoxelStream stream = NiftiVoxelStream.open(ct, limits)) {
            if (!stream.header().geometry().sameGrid(grid, 1e-3)) {
                throw new IllegalArgumentException("the labels' grid " + grid + " is not the CT's " + stream.header().geometry());
            }
            stream.forEachRun(slabs::addHu);
        }
        try (NiftiVoxelStream stream = NiftiVoxelStream.open(labels, limits)) {
            stream.forEachRun(slabs::addLabels);
        }
        return OverlayRenderer.draw(grid, choices, slabs, windowLo, windowHi);
    }
}
