package org.triplane.segmentation.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
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
import org.triplane.segmentation.model.NetworkInputs;

/**
 * Turns preprocessed scans into one plane's network samples on a {@link ModelGrid}.
 *
 * <ol>
 *   <li>The windowed scan (uint8, x fastest, LPS) is resampled onto the model grid placed on it
 *       ({@link ModelGrid#gridFor}) with linear interpolation, identity transform, 0 outside the
 *       scan, rounded to the nearest byte; labels likewise with nearest neighbour. On an
 *       atlas-placed grid ({@link ModelGrid#atlasGeometry}) the transform is the scan's registration
 *       instead: model point (atlas, LPS mm) → scan point, the inverse of {@link ScanVolumes#toAtlas}.</li>
 *   <li>Both are cut into the plane's slices by {@link PlaneSlicer}, padded with 0 to multiples of
 *       {@code 2^depth}.</li>
 *   <li>Channel 0 = byte / 254; channel 1 (optional) = (x − midline) / 100 mm, x being each
 *       pixel's LPS x on the model grid (continued linearly into the padding) and the midline the
 *       scan's {@link Midline} estimate on its own grid.</li>
 * </ol>
 * The output is {@link PlaneSamples}, NCHW float32 inputs and NHW uint8 labels.
 */
public final class SampleBuilder {
    /** Units of the position channel: 100 mm per unit, so a head spans about −0.8..0.8. */
    public static final double POSITION_UNIT_MM = 100.0;

    private final ModelGrid grid;
    private final Resampler resampler;

    public SampleBuilder(ModelGrid grid, Resampler resampler) {
        this.grid = Objects.requireNonNull(grid, "grid");
        this.resampler = Objects.requireNonNull(resampler, "resampler");
    }

    public ModelGrid grid() {
        return grid;
    }

    /**
     * Resamples one scan onto the model grid and estimates its midline. A scan without any tissue
     * gets its grid centre as midline (why: it still needs a prediction, and every slice of it will
     * be background whatever the position channel says).
     */
    public ModelGridScan toModelGrid(ScanVolumes scan) {
        Geometry scanGrid = scan.grid();
        Geometry model;
        AffineTransform modelToScan;
        if (grid.atlasPlaced()) {
            if (scan.toAtlas() == null) {
                throw new IllegalArgumentException("scan " + scan.id() + " has no registration to the atlas; the model grid "
                        + grid + " needs one");
            }
            model = grid.atlasGeometry();
            modelToScan = scan.toAtlas().inverse();
        } else {
            model = grid.gridFor(scanGrid);
            modelToScan = AffineTransform.identity();
        }
        Volume windowed = Volume.allocate(model, DataType.UINT8);
        byte[] dst = ((VoxelBuffer.UInt8) windowed.voxels()).data;
        resampler.resampleRows(scan.windowed(), model, modelToScan, Interpolation.LINEAR, 0,
                (offset, values, n) -> {
                    for (int i = 0; i < n; i++) {
                        // why: rounding, not the usual integer truncation, so that a byte met exactly
                        // (same grid) never comes back one lower through floating-point weights
                        dst[offset + i] = (byte) Math.max(0, Math.min(255, Math.round(values[i])));
                    }
                });
        Volume labels = null;
        if (scan.labelled()) {
            labels = Volume.allocate(model, DataType.UINT8);
            VoxelBuffer out = labels.voxels();
            resampler.resampleRows(scan.labels(), model, modelToScan, Interpolation.NEAREST, 0, out::setRow);
        }
        // why: the atlas inputs need no midline; an atlas-placed grid is centred by the registration
        OptionalDouble midline = grid.atlasPlaced() ? OptionalDouble.of(0) : Midline.estimateXMm(scan.windowed());
        double midlineX = midline.isPresent() ? midline.getAsDouble() : scanGrid.centre()[0];
        // why: the deformable part moves the atlas, not the scan: the model grid stays in the affine
        // atlas space (so predictions go back through toAtlas alone) and the atlas channels follow
        AtlasChannels atlas = null;
        if (grid.deformableAtlas()) {
            if (scan.atlasWarp() == null) {
                throw new IllegalArgumentException("scan " + scan.id() + " has no deformable registration to the atlas; "
                        + "the model grid " + grid + " needs one");
            }
            atlas = AtlasChannels.of(grid).warped(scan.atlasWarp());
        }
        return new ModelGridScan(scan.id(), scanGrid, windowed, labels, midlineX, atlas);
    }

    /** Samples of {@code plane} from scans on their own grids; see {@link #samples}. */
    public PlaneSamples build(List<ScanVolumes> scans, Plane plane, SampleOptions options) {
        List<ModelGridScan> prepared = new ArrayList<>(scans.size());
        for (ScanVolumes scan : scans) {
            prepared.add(toModelGrid(scan));
        }
        return samples(prepared, plane, options);
    }

    /**
     * Samples of {@code plane} from scans already on the model grid. Slices come scan by scan, each
     * scan's in the plane's slice order ({@link Plane}); {@code scanIndex[n]} is the index into
     * {@code scans}. Labels are present when every scan is labelled, absent when none is.
     *
     * @throws IllegalArgumentException when some scans are labelled and others not, or a scan was
     *                                  prepared on another model grid
     */
    public PlaneSamples samples(List<ModelGridScan> scans, Plane plane, SampleOptions options) {
        boolean labelled = !scans.isEmpty() && scans.get(0).labelled();
        for (ModelGridScan s : scans) {
            if (s.labelled() != labelled) {
                throw new IllegalArgumentException("scan " + s.id() + " is " + (s.labelled() ? "" : "not ")
                        + "labelled but scan " + scans.get(0).id() + " is " + (labelled ? "" : "not ")
                        + "; samples need labels for all scans or none");
            }
        }
        int[] padded = grid.paddedSliceSize(plane, options.depth());
        int height = padded[0];
        int width = padded[1];
        int pixels = height * width;

        List<PlaneStack> inputStacks = new ArrayList<>(scans.size());
        List<PlaneStack> labelStacks = new ArrayList<>(scans.size());
        List<int[]> kept = new ArrayList<>(scans.size());
        int total = 0;
        for (ModelGridScan s : scans) {
            PlaneStack in = PlaneSlicer.slice(s.windowed(), plane, options.depth(), (byte) 0);
            PlaneLayout l = in.layout();
            if (l.paddedHeight() != height || l.paddedWidth() != width) {
                throw new IllegalArgumentException("scan " + s.id() + " gives " + plane + " slices of "
                        + l.paddedHeight() + "×" + l.paddedWidth() + ", model grid " + grid + " needs " + height + "×" + width
                        + " (was it prepared on another model grid?)");
            }
            int[] slices = options.skipEmptySlices() ? nonEmptySlices(in) : allSlices(l.slices());
            inputStacks.add(in);
            labelStacks.add(labelled ? PlaneSlicer.slice(s.labels(), plane, options.depth(), (byte) 0) : null);
            kept.add(slices);
            total = Math.addExact(total, slices.length);
        }

        int channels = options.channels();
        boolean atlasInputs = options.inputs() == NetworkInputs.WINDOW_AND_ATLAS;
        if (atlasInputs && !grid.atlasPlaced()) {
            throw new IllegalArgumentException("the atlas inputs need a model grid placed in atlas space, got " + grid);
        }
        PlaneStack[] sharedAtlasStacks = atlasInputs ? AtlasChannels.of(grid).stacks(plane, options.depth()) : null;
        float[] inputs = new float[Math.multiplyExact(Math.multiplyExact(total, channels), pixels)];
        byte[] labels = labelled ? new byte[Math.multiplyExact(total, pixels)] : null;
        int[] scanIndex = new int[total];
        float[] position = new float[pixels];
        int n = 0;
        for (int si = 0; si < scans.size(); si++) {
            PlaneStack in = inputStacks.get(si);
            byte[] src = in.data();
            PlaneLayout layout = in.layout();
            PositionField field = options.inputs() == NetworkInputs.WINDOW_AND_MIDLINE
                    ? new PositionField(scans.get(si).modelGrid(), layout, 0, scans.get(si).midlineXMm()) : null;
            PlaneStack[] atlasStacks = atlasInputs && scans.get(si).atlas() != null
                    ? scans.get(si).atlas().stacks(plane, options.depth()) : sharedAtlasStacks;
            PositionField[] atlas = atlasInputs ? new PositionField[] {
                new PositionField(scans.get(si).modelGrid(), layout, 0, 0),
                new PositionField(scans.get(si).modelGrid(), layout, 1, 0),
                new PositionField(scans.get(si).modelGrid(), layout, 2, 0),
            } : null;
            for (int s : kept.get(si)) {
                int from = s * pixels;
                int to = n * channels * pixels;
                for (int p = 0; p < pixels; p++) {
                    inputs[to + p] = (src[from + p] & 0xFF) / 254f;
                }
                if (field != null) {
                    field.fill(s, position);
                    System.arraycopy(position, 0, inputs, to + pixels, pixels);
                }
                if (atlas != null) {
                    byte[] template = atlasStacks[0].data();
                    for (int p = 0; p < pixels; p++) {
                        inputs[to + pixels + p] = (template[from + p] & 0xFF) / 254f;
                    }
                    for (int axis = 0; axis < 3; axis++) {
                        atlas[axis].fill(s, position);
                        System.arraycopy(position, 0, inputs, to + (2 + axis) * pixels, pixels);
                    }
                    for (int label = 0; label < AtlasChannels.LABELS; label++) {
                        byte[] share = atlasStacks[1 + label].data();
                        int at = to + (NetworkInputs.FIRST_SHARE_CHANNEL + label) * pixels;
                        for (int p = 0; p < pixels; p++) {
                            inputs[at + p] = (share[from + p] & 0xFF) / 255f;
                        }
                    }
                }
                if (labels != null) {
                    System.arraycopy(labelStacks.get(si).data(), from, labels, n * pixels, pixels);
                }
                scanIndex[n] = si;
                n++;
            }
        }
        return new PlaneSamples(plane, total, channels, height, width, inputs, labels, scanIndex);
    }

    private static int[] allSlices(int count) {
        int[] all = new int[count];
        for (int s = 0; s < count; s++) {
            all[s] = s;
        }
        return all;
    }

    private static int[] nonEmptySlices(PlaneStack stack) {
        byte[] data = stack.data();
        int size = stack.sliceSize();
        int[] keep = new int[stack.layout().slices()];
        int n = 0;
        for (int s = 0; s < keep.length; s++) {
            for (int p = s * size, end = p + size; p < end; p++) {
                if (data[p] != 0) {
                    keep[n++] = s;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(keep, n);
    }

    /**
     * A position channel of one scan's slices: an LPS coordinate is affine in (slice, row, column), so it
     * is evaluated from its value at the first unpadded pixel and its step per slice, row and column.
     */
    static final class PositionField {
        private final double x0;
        private final double perSlice;
        private final double perRow;
        private final double perColumn;
        private final int padTop;
        private final int padLeft;
        private final int height;
        private final int width;

        /** LPS coordinate {@code lpsAxis} (0 = x, 1 = y, 2 = z) of each pixel minus {@code offsetMm}, in {@link #POSITION_UNIT_MM}. */
        PositionField(Geometry modelGrid, PlaneLayout layout, int lpsAxis, double offsetMm) {
            double[] m = modelGrid.indexToPhysicalMatrix();
            int row = 3 * lpsAxis;
            int[] dims = modelGrid.dims();
            double x = modelGrid.origin()[lpsAxis] - offsetMm;
            x += layout.flipSlice() ? m[row + layout.sliceAxis()] * (dims[layout.sliceAxis()] - 1) : 0;
            x += layout.flipHeight() ? m[row + layout.heightAxis()] * (dims[layout.heightAxis()] - 1) : 0;
            x += layout.flipWidth() ? m[row + layout.widthAxis()] * (dims[layout.widthAxis()] - 1) : 0;
            this.x0 = x;
            this.perSlice = layout.flipSlice() ? -m[row + layout.sliceAxis()] : m[row + layout.sliceAxis()];
            this.perRow = layout.flipHeight() ? -m[row + layout.heightAxis()] : m[row + layout.heightAxis()];
            this.perColumn = layout.flipWidth() ? -m[row + layout.widthAxis()] : m[row + layout.widthAxis()];
            this.padTop = layout.padTop();
            this.padLeft = layout.padLeft();
            this.height = layout.paddedHeight();
            this.width = layout.paddedWidth();
        }

        /** Writes slice {@code s}'s channel (padded, row-major) into {@code out}. */
        void fill(int s, float[] out) {
            for (int h = 0; h < height; h++) {
                double row = x0 + s * perSlice + (h - padTop) * perRow;
                for (int w = 0; w < width; w++) {
                    out[h * width + w] = (float) ((row + (w - padLeft) * perColumn) / POSITION_UNIT_MM);
                }
            }
        }
    }
}
