package org.triplane.segmentation.data;

import org.triplane.imaging.fusion.PlanePrediction;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.geometry.Matrix3;
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
        Placement at = place(scanGrid, toAtlas, plane, depth);
        return nearest(scanGrid, plane, at, at.assemble("labels", labels), at.assemble("confidence", confidence));
    }

    /** The model grid as placed for one scan, with the map between them and the plane's slice layout. */
    private record Placement(Geometry model, AffineTransform modelFromScan, PlaneLayout layout) {
        /** One NHW array (checked against the layout) put back into a model-grid volume. */
        Volume assemble(String what, byte[] slices) {
            check(what, slices, (long) layout.slices() * layout.paddedHeight() * layout.paddedWidth(), layout);
            return PlaneSlicer.assemble(new PlaneStack(layout, slices, (byte) 0), model);
        }
    }

    private Placement place(Geometry scanGrid, AffineTransform toAtlas, Plane plane, int depth) {
        if (grid.atlasPlaced() && toAtlas == null) {
            throw new IllegalArgumentException("predictions on the atlas-placed grid " + grid
                    + " need the scan's registration to come back to its grid");
        }
        Geometry model = grid.atlasPlaced() ? grid.atlasGeometry() : grid.gridFor(scanGrid);
        AffineTransform modelFromScan = grid.atlasPlaced() ? toAtlas : AffineTransform.identity();
        return new Placement(model, modelFromScan, PlaneLayout.of(model, plane, depth));
    }

    /** Labels and confidence on the scan grid from the nearest model voxel, 0 outside the model grid. */
    private PlanePrediction nearest(Geometry scanGrid, Plane plane, Placement at, Volume labelsOnModel,
                                    Volume confidenceOnModel) {
        Geometry model = at.model();
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
        resampler.resampleRows(packed, scanGrid, at.modelFromScan(), Interpolation.NEAREST, 0,
                (offset, values, n) -> {
                    for (int i = 0; i < n; i++) {
                        int pair = (int) values[i];
                        ol[offset + i] = (byte) pair;
                        oc[offset + i] = (byte) (pair >>> 8);
                    }
                });
        return new PlanePrediction(plane, outLabels, outConfidence);
    }

    /**
     * As {@link #toScanGrid(Geometry, AffineTransform, Plane, int, byte[], byte[])}, reading each scan
     * voxel's label from the class probabilities ({@code probabilities[c]}: round(255·p) per pixel, NHW
     * like {@code labels}) interpolated trilinearly at its model-grid point, the most probable class
     * winning (the first on a tie), its interpolated probability the confidence. Where the eight model
     * voxels around the point agree on the label, or the point lies beyond the grid's outer voxel
     * centres, it is read as above (nearest model voxel, 0 outside the grid).
     *
     * <p>// why: a scan finer than the model grid would otherwise see each model voxel as a block; the
     * probabilities between voxel centres place a region's boundary between them, as the network's
     * softmax does, which is what nearest-neighbour labels on a 1.5–2 mm grid lose against a 1 mm atlas.
     */
    public PlanePrediction toScanGrid(Geometry scanGrid, AffineTransform toAtlas, Plane plane, int depth, byte[] labels,
                                      byte[] confidence, byte[][] probabilities) {
        Placement at = place(scanGrid, toAtlas, plane, depth);
        Volume labelsOnModel = at.assemble("labels", labels);
        PlanePrediction nearest = nearest(scanGrid, plane, at, labelsOnModel, at.assemble("confidence", confidence));
        if (probabilities == null) {
            return nearest;
        }
        Geometry model = at.model();
        AffineTransform modelFromScan = at.modelFromScan();
        byte[] labelModel = ((VoxelBuffer.UInt8) labelsOnModel.voxels()).data;
        byte[][] classes = new byte[probabilities.length][];
        for (int c = 0; c < probabilities.length; c++) {
            classes[c] = ((VoxelBuffer.UInt8) at.assemble("class " + c + " probabilities", probabilities[c]).voxels()).data;
        }
        // scan index → model index: K·(i, j, k) + k0
        double[] toModelIndex = Matrix3.multiply(model.physicalToIndexMatrix(),
                Matrix3.multiply(modelFromScan.matrix(), scanGrid.indexToPhysicalMatrix()));
        double[] o = modelFromScan.apply(scanGrid.origin());
        double[] mo = model.origin();
        double[] k0 = Matrix3.apply(model.physicalToIndexMatrix(), new double[] {o[0] - mo[0], o[1] - mo[1], o[2] - mo[2]});
        byte[] outLabels = ((VoxelBuffer.UInt8) nearest.labels().voxels()).data;
        byte[] outConfidence = ((VoxelBuffer.UInt8) nearest.confidence().voxels()).data;
        int snx = scanGrid.nx();
        int sny = scanGrid.ny();
        int mnx = model.nx();
        int mny = model.ny();
        int mnz = model.nz();
        int mnxy = mnx * mny;
        AtomicInteger next = new AtomicInteger();
        Workers.run(resampler.threads(), "smooth-labels", () -> {
            int[] corner = new int[8];
            double[] w = new double[8];
            for (int k = next.getAndIncrement(); k < scanGrid.nz(); k = next.getAndIncrement()) {
                for (int j = 0; j < sny; j++) {
                    for (int i = 0; i < snx; i++) {
                        double u = toModelIndex[0] * i + toModelIndex[1] * j + toModelIndex[2] * k + k0[0];
                        double v = toModelIndex[3] * i + toModelIndex[4] * j + toModelIndex[5] * k + k0[1];
                        double t = toModelIndex[6] * i + toModelIndex[7] * j + toModelIndex[8] * k + k0[2];
                        int x0 = (int) Math.floor(u);
                        int y0 = (int) Math.floor(v);
                        int z0 = (int) Math.floor(t);
                        if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= mnx - 1 || y0 >= mny - 1 || z0 >= mnz - 1) {
                            continue;
                        }
                        double fx = u - x0;
                        double fy = v - y0;
                        double fz = t - z0;
                        int base = x0 + mnx * y0 + mnxy * z0;
                        boolean same = true;
                        byte first = labelModel[base];
                        for (int n = 0; n < 8; n++) {
                            corner[n] = base + (n & 1) + mnx * ((n >> 1) & 1) + mnxy * ((n >> 2) & 1);
                            w[n] = ((n & 1) == 0 ? 1 - fx : fx) * (((n >> 1) & 1) == 0 ? 1 - fy : fy)
                                    * (((n >> 2) & 1) == 0 ? 1 - fz : fz);
                            same &= labelModel[corner[n]] == first;
                        }
                        if (same) {
                            continue;
                        }
                        double best = -1;
                        int arg = 0;
                        for (int c = 0; c < classes.length; c++) {
                            byte[] pc = classes[c];
                            double p = 0;
                            for (int n = 0; n < 8; n++) {
                                p += w[n] * (pc[corner[n]] & 0xFF);
                            }
                            if (p > best) {
                                best = p;
                                arg = c;
                            }
                        }
                        int voxel = i + snx * (j + sny * k);
                        outLabels[voxel] = (byte) arg;
                        outConfidence[voxel] = (byte) (int) Math.rint(best);
                    }
                }
            }
        });
        return nearest;
    }

    private static void check(String what, byte[] data, long expected, PlaneLayout layout) {
        Objects.requireNonNull(data, what);
        if (data.length != expected) {
            throw new IllegalArgumentException(layout.plane() + " " + what + " hold " + data.length + " bytes; the model grid needs "
                    + layout.slices() + " slices of " + layout.paddedHeight() + "×" + layout.paddedWidth() + " = " + expected);
        }
    }
}
