package org.triplane.segmentation.data;

import org.triplane.imaging.fusion.PlanePrediction;
import java.util.Objects;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneLayout;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.plane.PlaneStack;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Rounding;
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
        return toScanGrid(scanGrid, toAtlas, plane, depth, labels, confidence, null);
    }

    /** The model grid as placed for one scan, with the map between them and the plane's slice layout. */
    private record Placement(Geometry model, AffineTransform modelFromScan, PlaneLayout layout) {
        /** One NHW array (checked against the layout) put back into a model-grid volume, x fastest. */
        byte[] assemble(String what, byte[] slices) {
            check(what, slices, (long) layout.slices() * layout.paddedHeight() * layout.paddedWidth(), layout);
            return bytes(PlaneSlicer.assemble(new PlaneStack(layout, slices, (byte) 0), model));
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
     *
     * @param probabilities every class's probabilities, or {@code null} for nearest-neighbour labels alone
     */
    public PlanePrediction toScanGrid(Geometry scanGrid, AffineTransform toAtlas, Plane plane, int depth, byte[] labels,
                                      byte[] confidence, byte[][] probabilities) {
        Placement at = place(scanGrid, toAtlas, plane, depth);
        byte[] labelModel = at.assemble("labels", labels);
        byte[] confidenceModel = at.assemble("confidence", confidence);
        BetweenCentres between = null;
        if (probabilities != null) {
            byte[][] classes = new byte[probabilities.length][];
            for (int c = 0; c < probabilities.length; c++) {
                classes[c] = at.assemble("class " + c + " probabilities", probabilities[c]);
            }
            between = new BetweenCentres(at.model(), at.modelFromScan(), scanGrid, labelModel, classes);
        }
        Volume outLabels = Volume.allocate(scanGrid, DataType.UINT8);
        Volume outConfidence = Volume.allocate(scanGrid, DataType.UINT8);
        byte[] ol = bytes(outLabels);
        byte[] oc = bytes(outConfidence);
        BetweenCentres smooth = between;
        // why one pass: each scan voxel's model voxel is found once for both arrays, and the probabilities are
        // read for the same row while it is at hand; a voxel's result depends on that voxel alone
        resampler.nearestRows(at.model(), scanGrid, at.modelFromScan(), (offset, source, n) -> {
            for (int i = 0; i < n; i++) {
                int s = source[i];
                if (s >= 0) {
                    ol[offset + i] = labelModel[s];
                    oc[offset + i] = confidenceModel[s];
                }
            }
            if (smooth != null) {
                smooth.row(offset, source, ol, oc);
            }
        });
        return new PlanePrediction(plane, outLabels, outConfidence);
    }

    /**
     * The labels between the model grid's voxel centres: for a scan voxel whose model-grid point lies in a
     * cell (eight voxel centres) whose labels differ, the class with the largest trilinear probability.
     *
     * <p>Why it is cheap and still exact: the cells of one label (most of them) are known beforehand and
     * skipped; in a mixed cell the classes its corners are labelled with are summed first, and another class
     * is summed only if its largest corner probability can reach the best sum so far (a trilinear value
     * never exceeds its largest corner). A class left out is below the maximum, and the winner is the first
     * class reaching the maximum either way, so the result is the one summing every class in order gives.
     */
    private static final class BetweenCentres {
        /**
         * How far a sum may exceed its largest corner through rounding, at most: the weights add up to 1
         * within a few units of 2^−53, and the probabilities are at most 255.
         */
        private static final double ROUNDING = 1e-6;

        private final double[] toModelIndex;
        private final double[] k0;
        private final int snx;
        private final int snxy;
        private final int mnx;
        private final int mny;
        private final int mnz;
        private final int mnxy;
        private final byte[][] classes;
        /** Per cell (indexed by its lowest corner): 0 where its eight corners carry one label, else 1 + its mixed-cell number. */
        private final int[] mixed;
        /** Per mixed cell: the classes its corners are labelled with, bit c for class c. */
        private final int[] cornerLabels;
        /** Per mixed cell and class ({@code cell·classes + c}): the class's largest probability at the cell's corners. */
        private final byte[] largest;

        BetweenCentres(Geometry model, AffineTransform modelFromScan, Geometry scanGrid, byte[] labelModel, byte[][] classes) {
            // scan index → model index: K·(i, j, k) + k0
            this.toModelIndex = Matrix3.multiply(model.physicalToIndexMatrix(),
                    Matrix3.multiply(modelFromScan.matrix(), scanGrid.indexToPhysicalMatrix()));
            double[] o = modelFromScan.apply(scanGrid.origin());
            double[] mo = model.origin();
            this.k0 = Matrix3.apply(model.physicalToIndexMatrix(), new double[] {o[0] - mo[0], o[1] - mo[1], o[2] - mo[2]});
            this.snx = scanGrid.nx();
            this.snxy = scanGrid.nx() * scanGrid.ny();
            this.mnx = model.nx();
            this.mny = model.ny();
            this.mnz = model.nz();
            this.mnxy = mnx * mny;
            if (classes.length > Integer.SIZE - 1) {
                throw new IllegalArgumentException("at most " + (Integer.SIZE - 1) + " classes' probabilities, got "
                        + classes.length);
            }
            this.classes = classes;
            this.mixed = new int[labelModel.length];
            int count = 0;
            for (int z = 0; z < mnz - 1; z++) {
                for (int y = 0; y < mny - 1; y++) {
                    for (int x = 0, base = mnx * y + mnxy * z; x < mnx - 1; x++, base++) {
                        byte first = labelModel[base];
                        for (int n = 1; n < 8; n++) {
                            if (labelModel[corner(base, n)] != first) {
                                mixed[base] = ++count;
                                break;
                            }
                        }
                    }
                }
            }
            this.cornerLabels = new int[count];
            this.largest = new byte[count * classes.length];
            for (int base = 0; base < mixed.length; base++) {
                int cell = mixed[base] - 1;
                if (cell < 0) {
                    continue;
                }
                cornerLabels[cell] = cornerMask(labelModel, base);
                for (int c = 0; c < classes.length; c++) {
                    byte[] p = classes[c];
                    int max = 0;
                    for (int n = 0; n < 8; n++) {
                        max = Math.max(max, p[corner(base, n)] & 0xFF);
                    }
                    largest[cell * classes.length + c] = (byte) max;
                }
            }
        }

        /** The classes among the labels at the corners of the cell whose lowest corner is {@code base}, bit c for class c. */
        private int cornerMask(byte[] labelModel, int base) {
            int mask = 0;
            for (int n = 0; n < 8; n++) {
                int label = labelModel[corner(base, n)] & 0xFF;
                mask |= label < classes.length ? 1 << label : 0;
            }
            return mask;
        }

        /** Corner n (x + dx, y + dy, z + dz; n = dx + 2·dy + 4·dz) of the cell whose lowest corner is {@code base}. */
        private int corner(int base, int n) {
            return base + (n & 1) + mnx * ((n >> 1) & 1) + mnxy * ((n >> 2) & 1);
        }

        /**
         * Rereads, in the scan row starting at voxel {@code offset}, every voxel inside the model grid
         * ({@code source[i] ≥ 0}) whose point lies in a mixed cell.
         */
        void row(int offset, int[] source, byte[] outLabels, byte[] outConfidence) {
            int k = offset / snxy;
            int j = (offset - k * snxy) / snx;
            double[] m = toModelIndex;
            // why these partial products: the same numbers, added in the same order, as m·(i, j, k) + k0 per voxel
            double uj = m[1] * j;
            double uk = m[2] * k;
            double vj = m[4] * j;
            double vk = m[5] * k;
            double tj = m[7] * j;
            double tk = m[8] * k;
            Trilinear cell = new Trilinear();
            for (int i = 0; i < snx; i++) {
                // why: outside the nearest voxel's reach (index −0.5 .. size − 0.5) no cell lies (index 0 .. size − 1)
                if (source[i] < 0) {
                    continue;
                }
                double u = m[0] * i + uj + uk + k0[0];
                double v = m[3] * i + vj + vk + k0[1];
                double t = m[6] * i + tj + tk + k0[2];
                // why not Math.floor: below 0 the point is outside anyway, and above it a cast is the floor
                if (u < 0 || v < 0 || t < 0) {
                    continue;
                }
                int x0 = (int) u;
                int y0 = (int) v;
                int z0 = (int) t;
                if (x0 >= mnx - 1 || y0 >= mny - 1 || z0 >= mnz - 1) {
                    continue;
                }
                int base = x0 + mnx * y0 + mnxy * z0;
                int number = mixed[base] - 1;
                if (number < 0) {
                    continue;
                }
                cell.place(base, mnx, mnxy, u - x0, v - y0, t - z0);
                int labels = cornerLabels[number];
                double best = -1;
                int arg = -1;
                for (int rest = labels; rest != 0; rest &= rest - 1) {
                    int c = Integer.numberOfTrailingZeros(rest);
                    double p = cell.sum(classes[c]);
                    if (p > best || (p == best && c < arg)) {
                        best = p;
                        arg = c;
                    }
                }
                for (int c = 0, at = number * classes.length; c < classes.length; c++, at++) {
                    if ((labels & 1 << c) != 0 || (largest[at] & 0xFF) < best - ROUNDING) {
                        continue;
                    }
                    double p = cell.sum(classes[c]);
                    if (p > best || (p == best && c < arg)) {
                        best = p;
                        arg = c;
                    }
                }
                outLabels[offset + i] = (byte) arg;
                outConfidence[offset + i] = (byte) Rounding.halfEven(best);
            }
        }
    }

    /** A point in a model-grid cell: the cell's eight corners and their trilinear weights. */
    private static final class Trilinear {
        private int c0;
        private int c1;
        private int c2;
        private int c3;
        private int c4;
        private int c5;
        private int c6;
        private int c7;
        private double w0;
        private double w1;
        private double w2;
        private double w3;
        private double w4;
        private double w5;
        private double w6;
        private double w7;

        /**
         * The point at fractions (fx, fy, fz) of the cell whose lowest corner is {@code base}: corner n =
         * (x + dx, y + dy, z + dz) with n = dx + 2·dy + 4·dz, weighted by the product of its three factors in
         * x, y, z order.
         */
        void place(int base, int nx, int nxy, double fx, double fy, double fz) {
            double gx = 1 - fx;
            double gy = 1 - fy;
            double gz = 1 - fz;
            c0 = base;
            c1 = base + 1;
            c2 = base + nx;
            c3 = c2 + 1;
            c4 = base + nxy;
            c5 = c4 + 1;
            c6 = c4 + nx;
            c7 = c6 + 1;
            w0 = gx * gy * gz;
            w1 = fx * gy * gz;
            w2 = gx * fy * gz;
            w3 = fx * fy * gz;
            w4 = gx * gy * fz;
            w5 = fx * gy * fz;
            w6 = gx * fy * fz;
            w7 = fx * fy * fz;
        }

        /** The trilinear value of uint8 values {@code p} at the point, the products added in corner order. */
        double sum(byte[] p) {
            return w0 * (p[c0] & 0xFF) + w1 * (p[c1] & 0xFF) + w2 * (p[c2] & 0xFF) + w3 * (p[c3] & 0xFF)
                    + w4 * (p[c4] & 0xFF) + w5 * (p[c5] & 0xFF) + w6 * (p[c6] & 0xFF) + w7 * (p[c7] & 0xFF);
        }
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    private static void check(String what, byte[] data, long expected, PlaneLayout layout) {
        Objects.requireNonNull(data, what);
        if (data.length != expected) {
            throw new IllegalArgumentException(layout.plane() + " " + what + " hold " + data.length + " bytes; the model grid needs "
                    + layout.slices() + " slices of " + layout.paddedHeight() + "×" + layout.paddedWidth() + " = " + expected);
        }
    }
}
