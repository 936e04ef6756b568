package org.triplane.segmentation.data;

import org.triplane.imaging.fusion.PlanePrediction;
import java.util.Objects;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneLayout;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.plane.PlaneStack;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The way back from {@link SampleBuilder}: per-slice predictions of one plane on the model grid
 * become volumes on the scan's own grid.
 *
 * <p>Input: uint8 NHW arrays ({@code [(n * paddedHeight + h) * paddedWidth + w]}) holding every slice
 * of the model grid in the plane's slice order (as {@link SampleOptions#inference} produces them),
 * padded for the network's depth. The padding is dropped, the slices are put back into a model-grid
 * volume ({@link PlaneSlicer#assemble}) and that volume is resampled onto the scan grid with nearest
 * neighbour, 0 outside the model grid's field of view: through the identity for a grid placed on the
 * scan, through the scan's registration ({@link ScanVolumes#toAtlas}: scan point → atlas point) for an
 * atlas-placed grid.
 */
public final class PredictionVolumes {
    private final ModelGrid grid;
    private final Resampler resampler;

    public PredictionVolumes(ModelGrid grid, Resampler resampler) {
        this.grid = Objects.requireNonNull(grid, "grid");
        this.resampler = Objects.requireNonNull(resampler, "resampler");
    }

    /**
     * @param scanGrid   the scan's own grid (the one the samples were built from)
     * @param plane      the plane the predictions were made in
     * @param depth      the padding depth the samples were built with
     * @param labels     uint8 NHW labels 0..20, all model-grid slices of {@code plane}, padded
     * @param confidence uint8 NHW confidence, same shape
     * @throws IllegalArgumentException when an array does not have the model grid's slice count and
     *                                  padded slice size
     */
    public PlanePrediction toScanGrid(Geometry scanGrid, Plane plane, int depth, byte[] labels, byte[] confidence) {
        return toScanGrid(scanGrid, null, plane, depth, labels, confidence);
    }

    /**
     * As {@link #toScanGrid(Geometry, Plane, int, byte[], byte[])}, for a scan registered to the atlas.
     *
     * @param toAtlas the scan's registration (its grid's points → atlas points, LPS mm); needed, and only
     *                used, when the model grid is placed in atlas space
     * @throws IllegalArgumentException also when the grid is atlas-placed and {@code toAtlas} is null
     */
    public PlanePrediction toScanGrid(Geometry scanGrid, AffineTransform toAtlas, Plane plane, int depth, byte[] labels,
                                      byte[] confidence) {
        if (grid.atlasPlaced() && toAtlas == null) {
            throw new IllegalArgumentException("predictions on the atlas-placed grid " + grid
                    + " need the scan's registration to come back to its grid");
        }
        Geometry model = grid.atlasPlaced() ? grid.atlasGeometry() : grid.gridFor(scanGrid);
        AffineTransform modelFromScan = grid.atlasPlaced() ? toAtlas : AffineTransform.identity();
        PlaneLayout layout = PlaneLayout.of(model, plane, depth);
        long expected = (long) layout.slices() * layout.paddedHeight() * layout.paddedWidth();
        check("labels", labels, expected, layout);
        check("confidence", confidence, expected, layout);
        Volume labelsOnModel = PlaneSlicer.assemble(new PlaneStack(layout, labels, (byte) 0), model);
        Volume confidenceOnModel = PlaneSlicer.assemble(new PlaneStack(layout, confidence, (byte) 0), model);
        // why: nearest neighbour picks one voxel for both arrays, so packing them into one 16-bit
        // value resamples the scan grid (tens of millions of voxels) once instead of twice
        Volume packed = Volume.allocate(model, DataType.UINT16);
        short[] pairs = ((VoxelBuffer.UInt16) packed.voxels()).data;
        byte[] l = ((VoxelBuffer.UInt8) labelsOnModel.voxels()).data;
        byte[] c = ((VoxelBuffer.UInt8) confidenceOnModel.voxels()).data;
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = (short) ((l[i] & 0xFF) | (c[i] & 0xFF) << 8);
        }
        Volume outLabels = Volume.allocate(scanGrid, DataType.UINT8);
        Volume outConfidence = Volume.allocate(scanGrid, DataType.UINT8);
        byte[] ol = ((VoxelBuffer.UInt8) outLabels.voxels()).data;
        byte[] oc = ((VoxelBuffer.UInt8) outConfidence.voxels()).data;
        resampler.resampleRows(packed, scanGrid, modelFromScan, Interpolation.NEAREST, 0,
                (offset, values, n) -> {
                    for (int i = 0; i < n; i++) {
                        int pair = (int) values[i];
                        ol[offset + i] = (byte) pair;
                        oc[offset + i] = (byte) (pair >>> 8);
                    }
                });
        return new PlanePrediction(plane, outLabels, outConfidence);
    }

    private static void check(String what, byte[] data, long expected, PlaneLayout layout) {
        Objects.requireNonNull(data, what);
        if (data.length != expected) {
            throw new IllegalArgumentException(layout.plane() + " " + what + " hold " + data.length + " bytes; the model grid needs "
                    + layout.slices() + " slices of " + layout.paddedHeight() + "×" + layout.paddedWidth() + " = " + expected);
        }
    }
}
