package org.triplane.segmentation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneLayout;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.segmentation.model.NetworkInputs;

class SampleBuilderTest {
    /** 4 mm over 256 × 256 × 160 mm: 64 × 64 × 40 voxels. */
    private static final ModelGrid GRID_4MM = ModelGrid.of(4, 256, 256, 160);
    private static final SampleBuilder BUILDER_4MM = new SampleBuilder(GRID_4MM, TestScans.RESAMPLER);

    @Test
    void sliceCountsAndSizesFollowTheModelGrid() {
        List<ScanVolumes> scans = List.of(TestScans.small(1), TestScans.small(2));
        // depth 4 pads 40 rows to 48; 64 is already a multiple of 16
        int[][] expected = {{40, 64, 64}, {64, 48, 64}, {64, 48, 64}}; // AXIAL, CORONAL, SAGITTAL: count, height, width
        for (Plane plane : Plane.values()) {
            PlaneSamples s = BUILDER_4MM.build(scans, plane, SampleOptions.inference(4, true));
            int[] e = expected[plane.ordinal()];
            assertEquals(plane, s.plane());
            assertEquals(2 * e[0], s.count(), plane + " slices");
            assertEquals(e[1], s.height(), plane + " height");
            assertEquals(e[2], s.width(), plane + " width");
            assertEquals(2, s.channels());
            assertTrue(s.labelled());
            for (int n = 0; n < s.count(); n++) {
                assertEquals(n < e[0] ? 0 : 1, s.scanIndex()[n]);
            }
        }
        PlaneSamples oneChannel = BUILDER_4MM.build(scans.subList(0, 1), Plane.AXIAL, SampleOptions.inference(0, false));
        assertEquals(1, oneChannel.channels());
        assertEquals(64, oneChannel.height());
    }

    @Test
    void positionIsPositiveOnThePatientsLeftAndNegativeOnTheRight() {
        ScanVolumes scan = TestScans.small(3);
        for (Plane plane : Plane.values()) {
            PlaneSamples s = BUILDER_4MM.build(List.of(scan), plane, SampleOptions.inference(4, true));
            long[] agree = new long[2];
            long[] total = new long[2];
            for (int n = 0; n < s.count(); n++) {
                for (int p = 0; p < s.slicePixels(); p++) {
                    int label = s.labels()[n * s.slicePixels() + p] & 0xFF;
                    if (label == 0) {
                        continue;
                    }
                    float position = position(s, n, p);
                    int side = label <= 10 ? 0 : 1; // 1..10 patient left
                    total[side]++;
                    if (side == 0 ? position > 0 : position < 0) {
                        agree[side]++;
                    }
                }
            }
            assertTrue(total[0] > 1000 && total[1] > 1000, plane + " has labelled pixels on both sides");
            assertEquals(1.0, agree[0] / (double) total[0], 0.005, plane + ": left regions positive");
            assertEquals(1.0, agree[1] / (double) total[1], 0.005, plane + ": right regions negative");
        }
    }

    @Test
    void axialPositionVariesAlongColumnsOnlyAndMatchesTheGridsX() {
        ScanVolumes scan = TestScans.small(1);
        double midline = Midline.estimateXMm(scan.windowed()).getAsDouble();
        Geometry model = GRID_4MM.gridFor(scan.grid());
        PlaneSamples s = BUILDER_4MM.build(List.of(scan), Plane.AXIAL, SampleOptions.inference(5, true));
        assertEquals(64, s.width());
        for (int n = 0; n < s.count(); n += 7) {
            for (int h = 0; h < s.height(); h++) {
                for (int w = 0; w < s.width(); w++) {
                    // identity direction, no padding in width: column w is array index i = w
                    double x = model.origin()[0] + 4.0 * w;
                    assertEquals((x - midline) / 100, position(s, n, h * s.width() + w), 1e-5);
                }
            }
        }
        // a head shifted toward the patient's right shifts the midline and so every position up
        ScanVolumes moved = new ScanVolumes("moved", TestScans.shiftAlongI(scan.windowed(), -5), null);
        PlaneSamples m = BUILDER_4MM.build(List.of(moved), Plane.AXIAL, SampleOptions.inference(5, true));
        assertEquals(5 * 1.8 / 100, position(m, 20, 100) - position(s, 20, 100), 0.5 * 1.8 / 100);
    }

    @Test
    void atlasInputsHoldEachPixelsAtlasPointAndTheAtlasLabelSharesThere() {
        ModelGrid grid = ModelGrid.aspectsInAtlas(4);
        ScanVolumes scan = TestScans.small(1).withToAtlas(new AffineTransform(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new double[3], new double[] {3, -2, 80}));
        PlaneSamples s = new SampleBuilder(grid, TestScans.RESAMPLER).build(List.of(scan), Plane.AXIAL,
                SampleOptions.inference(3, NetworkInputs.WINDOW_AND_ATLAS));
        assertEquals(26, s.channels());
        // 157 × 176 × 89 mm at 4 mm: 39 × 44 × 22 voxels from (0, 13.5, 20) − 4·(19, 21.5, 10.5) mm
        assertEquals(22, s.count());
        PlaneLayout layout = PlaneLayout.of(grid.atlasGeometry(), Plane.AXIAL, 3);
        int pixels = s.slicePixels();
        int slice = 12;
        int row = 30;
        int column = 9;
        int pixel = (row + layout.padTop()) * s.width() + column + layout.padLeft();
        double[] atlasPoint = {-76 + 4.0 * column, -72.5 + 4.0 * row, -22 + 4.0 * slice};
        for (int axis = 0; axis < 3; axis++) {
            assertEquals(atlasPoint[axis] / 100, s.inputs()[(slice * 26 + 2 + axis) * pixels + pixel], 1e-5, "axis " + axis);
        }
        // shares of the 21 labels make up the whole voxel wherever the grid lies inside the atlas
        for (int n = 0; n < s.count(); n++) {
            for (int h = layout.padTop(); h < layout.padTop() + layout.height(); h++) {
                for (int w = layout.padLeft(); w < layout.padLeft() + layout.width(); w++) {
                    double sum = 0;
                    for (int label = 0; label < 21; label++) {
                        sum += s.inputs()[(n * 26 + 5 + label) * pixels + h * s.width() + w];
                    }
                    assertEquals(1, sum, 21 * 0.5 / 255, "shares at slice " + n + ", pixel " + h + "," + w);
                }
            }
        }
        // the voxel around the left M5 region's centroid (LPS 42.2, 8.0, 36.9 mm in the atlas) is mostly left M5 (label 6)
        int k = (int) Math.round((36.9 + 22) / 4);
        int j = (int) Math.round((8.0 + 72.5) / 4);
        int i = (int) Math.round((42.2 + 76) / 4);
        float m5 = s.inputs()[(k * 26 + 5 + 6) * pixels + (j + layout.padTop()) * s.width() + i + layout.padLeft()];
        assertTrue(m5 > 0.5f, "share of left M5 at its centroid: " + m5);
        // the template there is brain tissue inside the window (its HU ≈ 26 is byte ≈ 150), not air or bone
        float template = s.inputs()[(k * 26 + 1) * pixels + (j + layout.padTop()) * s.width() + i + layout.padLeft()];
        assertEquals((26 + 124) / 254.0, template, 15 / 254.0);
        assertThrows(IllegalArgumentException.class, () -> BUILDER_4MM.build(List.of(scan), Plane.AXIAL,
                SampleOptions.inference(3, NetworkInputs.WINDOW_AND_ATLAS)));
    }

    @Test
    void sagittalPositionIsConstantInASliceAndGrowsTowardTheLeft() {
        ScanVolumes scan = TestScans.small(1);
        PlaneSamples s = BUILDER_4MM.build(List.of(scan), Plane.SAGITTAL, SampleOptions.inference(4, true));
        for (int n = 0; n < s.count(); n++) {
            float first = position(s, n, 0);
            for (int p = 1; p < s.slicePixels(); p++) {
                assertEquals(first, position(s, n, p), 1e-6, "slice " + n + " pixel " + p);
            }
            if (n > 0) {
                assertEquals(0.04, first - position(s, n - 1, 0), 1e-5, "4 mm per slice toward the left");
            }
        }
        // coronal slices: columns toward the left too, rows constant
        PlaneSamples c = BUILDER_4MM.build(List.of(scan), Plane.CORONAL, SampleOptions.inference(4, true));
        assertEquals(0.04, position(c, 10, 5 * c.width() + 31) - position(c, 10, 5 * c.width() + 30), 1e-5);
        assertEquals(position(c, 10, 30), position(c, 10, 47 * c.width() + 30), 1e-6);
    }

    @Test
    void samplesDoNotDependOnArrayOrder() {
        ScanVolumes scan = TestScans.small(2);
        ScanVolumes reversed = new ScanVolumes("reversed", TestScans.reverseI(scan.windowed()), TestScans.reverseI(scan.labels()));
        for (Plane plane : Plane.values()) {
            PlaneSamples a = BUILDER_4MM.build(List.of(scan), plane, SampleOptions.inference(4, true));
            PlaneSamples b = BUILDER_4MM.build(List.of(reversed), plane, SampleOptions.inference(4, true));
            int pixels = a.slicePixels();
            int byteSteps = 0;
            for (int n = 0; n < a.count(); n++) {
                for (int p = 0; p < pixels; p++) {
                    int i0 = 2 * n * pixels + p;
                    float d = Math.abs(a.inputs()[i0] - b.inputs()[i0]);
                    // why: the same physical point is interpolated from mirrored neighbours, so a value
                    // within rounding of a half byte may round the other way
                    assertTrue(d < 1 / 254f + 1e-6f, plane + " channel 0 slice " + n + " pixel " + p);
                    byteSteps += d > 0 ? 1 : 0;
                    assertEquals(a.inputs()[i0 + pixels], b.inputs()[i0 + pixels], 1e-5f, plane + " position");
                }
            }
            assertTrue(byteSteps < a.count() * pixels / 1000, plane + ": " + byteSteps + " one-byte differences");
            int labelDifferences = 0;
            for (int i = 0; i < a.labels().length; i++) {
                labelDifferences += a.labels()[i] != b.labels()[i] ? 1 : 0;
            }
            // why: model slices 14 mm from the centre lie exactly halfway between two 3.5 mm scan slices,
            // and such nearest-neighbour ties may break either way; they are the only differences
            assertTrue(labelDifferences < a.labels().length / 200, plane + ": " + labelDifferences + " labels differ");
        }
    }

    @Test
    void identicalSpacingKeepsLabelsAndBytesExactly() {
        // 80 × 96 × 40 voxels of 2 mm; the model grid 2 mm over 160 × 192 × 80 mm is the scan grid itself
        ScanVolumes scan = TestScans.phantom(80, 96, 40, new double[] {2, 2, 2}, 5L, 1);
        SampleBuilder builder = new SampleBuilder(ModelGrid.of(2, 160, 192, 80), TestScans.RESAMPLER);
        for (Plane plane : Plane.values()) {
            PlaneSamples s = builder.build(List.of(scan), plane, SampleOptions.inference(3, false));
            assertArrayEquals(PlaneSlicer.slice(scan.labels(), plane, 3, (byte) 0).data(), s.labels(), plane.toString());
            byte[] bytes = PlaneSlicer.slice(scan.windowed(), plane, 3, (byte) 0).data();
            for (int p = 0; p < bytes.length; p++) {
                assertEquals((bytes[p] & 0xFF) / 254f, s.inputs()[p], plane + " pixel " + p);
            }
        }
        // a larger field of view on the same voxel lattice loses no labelled voxel
        ModelGridScan wide = new SampleBuilder(ModelGrid.of(2, 200, 224, 96), TestScans.RESAMPLER).toModelGrid(scan);
        assertArrayEquals(labelCounts(scan.labels()), labelCounts(wide.labels()));
    }

    @Test
    void trainingLeavesOutExactlyTheSlicesWithoutTissue() {
        ScanVolumes scan = TestScans.small(1);
        for (Plane plane : new Plane[] {Plane.AXIAL, Plane.SAGITTAL}) {
            PlaneSamples all = BUILDER_4MM.build(List.of(scan), plane, SampleOptions.inference(4, true));
            PlaneSamples kept = BUILDER_4MM.build(List.of(scan), plane, SampleOptions.training(4, true));
            int pixels = all.slicePixels();
            int k = 0;
            for (int n = 0; n < all.count(); n++) {
                boolean tissue = false;
                for (int p = 0; p < pixels; p++) {
                    tissue |= all.inputs()[2 * n * pixels + p] != 0;
                }
                if (tissue) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(all.inputs(), 2 * n * pixels, 2 * (n + 1) * pixels),
                            java.util.Arrays.copyOfRange(kept.inputs(), 2 * k * pixels, 2 * (k + 1) * pixels));
                    k++;
                }
            }
            assertEquals(k, kept.count());
            assertTrue(kept.count() < all.count(), plane + ": the 256/160 mm field of view has empty slices");
        }
    }

    @Test
    void unlabelledAndEmptyScansStillGiveEverySlice() {
        Geometry g = Geometry.axisAligned(40, 40, 20, new double[] {5, 5, 5}, new double[] {0, 0, 0});
        ScanVolumes empty = ScanVolumes.unlabelled("empty", Volume.allocate(g, DataType.UINT8));
        PlaneSamples s = BUILDER_4MM.build(List.of(empty), Plane.AXIAL, SampleOptions.inference(4, true));
        assertNull(s.labels());
        assertEquals(40, s.count());
        // no tissue: the midline falls back to the grid centre, x = 97.5 mm; column 0 sits at 97.5 − 126 mm
        assertEquals(-1.26, position(s, 0, 0), 1e-5);
        assertEquals(0, BUILDER_4MM.build(List.of(empty), Plane.AXIAL, SampleOptions.training(4, true)).count());
    }

    @Test
    void refusesMismatchedGridsAndMixedLabelling() {
        ScanVolumes scan = TestScans.small(1);
        Geometry g = scan.grid();
        double[] origin = g.origin();
        origin[1] += 1.5;
        Volume movedLabels = new Volume(new Geometry(g.nx(), g.ny(), g.nz(), g.spacing(), origin, g.direction()),
                scan.labels().voxels());
        assertMessage("origin", () -> new ScanVolumes("s1", scan.windowed(), movedLabels));
        Volume smaller = Volume.allocate(Geometry.axisAligned(g.nx(), g.ny(), g.nz() - 1, g.spacing(), g.origin()), DataType.UINT8);
        assertMessage("scan s2: label grid differs from the windowed scan's grid in dimensions",
                () -> new ScanVolumes("s2", scan.windowed(), smaller));
        assertMessage("uint8", () -> new ScanVolumes("s3", Volume.allocate(g, DataType.INT16), null));
        Volume bad = Volume.allocate(g, DataType.UINT8);
        TestScans.bytes(bad)[17] = 21;
        assertMessage("label 21", () -> new ScanVolumes("s4", scan.windowed(), bad));
        ScanVolumes unlabelled = ScanVolumes.unlabelled("u", scan.windowed());
        assertMessage("labels for all scans or none",
                () -> BUILDER_4MM.build(List.of(scan, unlabelled), Plane.AXIAL, SampleOptions.training(4, false)));
    }

    /** Channel 1 of slice n, pixel p (row-major in the padded slice). */
    private static float position(PlaneSamples s, int n, int p) {
        return s.inputs()[(n * s.channels() + 1) * s.slicePixels() + p];
    }

    private static long[] labelCounts(Volume labels) {
        long[] counts = new long[21];
        for (byte b : TestScans.bytes(labels)) {
            counts[b & 0xFF]++;
        }
        counts[0] = 0; // why: the wider grid has more background by construction
        return counts;
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
