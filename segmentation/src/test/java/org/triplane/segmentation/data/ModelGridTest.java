package org.triplane.segmentation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneLayout;
import org.triplane.imaging.volume.Geometry;

class ModelGridTest {
    private static final double EPS = 1e-9;

    @Test
    void coarsePresetIs128By128By80At2Mm() {
        assertArrayEquals(new int[] {128, 128, 80}, ModelGrid.COARSE.lpsDims());
        assertEquals(2.0, ModelGrid.COARSE.spacingMm());
        assertArrayEquals(new int[] {128, 128}, ModelGrid.COARSE.sliceSize(Plane.AXIAL));
        assertArrayEquals(new int[] {80, 128}, ModelGrid.COARSE.sliceSize(Plane.CORONAL));
        assertArrayEquals(new int[] {80, 128}, ModelGrid.COARSE.sliceSize(Plane.SAGITTAL));
        assertEquals(80, ModelGrid.COARSE.sliceCount(Plane.AXIAL));
        assertEquals(128, ModelGrid.COARSE.sliceCount(Plane.SAGITTAL));
    }

    @Test
    void gridForAxisAlignedStudyScanIsCentredOnIt() {
        // 512×512×110 at 0.45×0.45×1.25 mm, origin (−115, −100, −130): centre (−0.025, 14.975, −61.875)
        Geometry scan = Geometry.axisAligned(512, 512, 110, new double[] {0.45, 0.45, 1.25}, new double[] {-115, -100, -130});
        Geometry model = ModelGrid.COARSE.gridFor(scan);
        assertArrayEquals(new int[] {128, 128, 80}, model.dims());
        assertArrayEquals(new double[] {2, 2, 2}, model.spacing(), EPS);
        assertArrayEquals(scan.direction(), model.direction(), 0);
        // origin = centre − 2·(dims − 1)/2 = centre − (127, 127, 79)
        assertArrayEquals(new double[] {-0.025 - 127, 14.975 - 127, -61.875 - 79}, model.origin(), EPS);
        assertArrayEquals(scan.centre(), model.centre(), EPS);
    }

    @Test
    void arrayAxesFollowTheLpsAxisTheyPointAlong() {
        // array i along LPS z, j along −x, k along y (a permuted, partly flipped scan)
        double[] direction = {
            0, -1, 0,
            0, 0, 1,
            1, 0, 0,
        };
        Geometry scan = new Geometry(60, 256, 240, new double[] {2.5, 0.96, 0.96}, new double[] {5, -20, 30}, direction);
        ModelGrid grid = ModelGrid.of(4, 200, 240, 120); // 50 × 60 × 30 voxels along x, y, z
        Geometry model = grid.gridFor(scan);
        assertArrayEquals(new int[] {30, 50, 60}, model.dims());
        assertArrayEquals(direction, model.direction(), 0);
        assertArrayEquals(scan.centre(), model.centre(), EPS);
        for (Plane plane : Plane.values()) {
            PlaneLayout layout = PlaneLayout.of(model, plane, 0);
            assertArrayEquals(new int[] {layout.height(), layout.width()}, grid.sliceSize(plane), plane.toString());
            assertEquals(layout.slices(), grid.sliceCount(plane), plane.toString());
        }
    }

    @Test
    void sliceSizesMatchPlaneLayoutOnAnAxisAlignedScan() {
        ModelGrid grid = ModelGrid.of(3, 150, 210, 90); // 50 × 70 × 30
        Geometry model = grid.gridFor(Geometry.axisAligned(10, 10, 10, new double[] {1, 1, 1}, new double[3]));
        for (Plane plane : Plane.values()) {
            PlaneLayout padded = PlaneLayout.of(model, plane, 4);
            assertArrayEquals(new int[] {padded.paddedHeight(), padded.paddedWidth()}, grid.paddedSliceSize(plane, 4));
        }
        assertArrayEquals(new int[] {70, 50}, grid.sliceSize(Plane.AXIAL));
        assertArrayEquals(new int[] {80, 64}, grid.paddedSliceSize(Plane.AXIAL, 4));
    }

    @Test
    void refusesBadSpacingAndEmptyFieldsOfView() {
        assertMessage("spacing", () -> ModelGrid.of(0, 100, 100, 100));
        assertMessage("spacing", () -> ModelGrid.of(-2, 100, 100, 100));
        assertMessage("spacing", () -> ModelGrid.of(Double.NaN, 100, 100, 100));
        assertMessage("LPS y", () -> ModelGrid.of(2, 100, 0, 100));
        assertMessage("at least 1", () -> ModelGrid.of(4, 100, 100, 1));
        assertMessage("depth", () -> ModelGrid.COARSE.paddedSliceSize(Plane.AXIAL, -1));
    }

    @Test
    void jsonAndMapRoundTrip() {
        ModelGrid grid = ModelGrid.of(1.75, 224, 240.5, 157.5);
        assertEquals("{\"spacingMm\":1.75,\"fieldOfViewMm\":[224.0,240.5,157.5]}", grid.toJson());
        assertEquals(grid, ModelGrid.fromJson(grid.toJson()));
        assertEquals(grid, ModelGrid.fromMap(grid.toMap()));
        assertEquals(ModelGrid.COARSE, ModelGrid.fromJson(" { \"fieldOfViewMm\" : [ 256, 256 , 160 ] ,\n \"spacingMm\": 2 , \"note\": 1 }"));
        assertEquals(ModelGrid.COARSE, ModelGrid.fromMap(Map.of("spacingMm", "2", "fieldOfViewXMm", 256,
                "fieldOfViewYMm", 256.0, "fieldOfViewZMm", "160")));
        assertMessage("fieldOfViewMm", () -> ModelGrid.fromJson("{\"spacingMm\":2}"));
        assertMessage("spacingMm", () -> ModelGrid.fromJson("{\"fieldOfViewMm\":[1,2,3]}"));
        assertMessage("fieldOfViewZMm", () -> ModelGrid.fromMap(Map.of("spacingMm", 2, "fieldOfViewXMm", 1,
                "fieldOfViewYMm", 1)));
        assertMessage("not a number", () -> ModelGrid.fromMap(Map.of("spacingMm", "two", "fieldOfViewXMm", 1,
                "fieldOfViewYMm", 1, "fieldOfViewZMm", 1)));
    }

    @Test
    void anAtlasPlacedGridRecordsItsCentreAndRecordsWithoutOneStayPlacedOnTheScan() {
        ModelGrid grid = ModelGrid.aspectsInAtlas(2);
        assertEquals("{\"spacingMm\":2.0,\"fieldOfViewMm\":[157.0,176.0,89.0],\"atlasCentreMm\":[0.0,13.5,20.0]}",
                grid.toJson());
        assertEquals(grid, ModelGrid.fromJson(grid.toJson()));
        assertEquals(grid, ModelGrid.fromMap(grid.toMap()));
        assertTrue(grid.atlasPlaced());
        assertFalse(ModelGrid.COARSE.atlasPlaced());
        assertFalse(ModelGrid.fromJson(ModelGrid.COARSE.toJson()).atlasPlaced());
        Geometry g = grid.atlasGeometry();
        // round(157 / 2), 176 / 2, round(89 / 2): halves round up
        assertArrayEquals(new int[] {79, 88, 45}, g.dims());
        // centre − spacing·(dims − 1)/2 along each LPS axis
        assertArrayEquals(new double[] {-78, -73.5, -24}, g.origin(), 1e-12);
        // at 1 mm the voxel centres are whole millimetres, like the atlas's
        assertArrayEquals(new double[] {-78, -74, -24}, grid.withSpacing(1).atlasGeometry().origin(), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, g.direction(), 0);
        assertEquals(grid, ModelGrid.aspectsInAtlas(3).withSpacing(2));
        assertThrows(IllegalStateException.class, ModelGrid.COARSE::atlasGeometry);
    }

    @Test
    void aGridWhoseAtlasFollowsTheDeformableRegistrationSaysSoAndOlderRecordsDoNot() {
        ModelGrid grid = ModelGrid.aspectsInAtlas(1.5).withDeformableAtlas();
        assertEquals("{\"spacingMm\":1.5,\"fieldOfViewMm\":[157.0,176.0,89.0],\"atlasCentreMm\":[0.0,13.5,20.0],"
                + "\"deformableAtlas\":true}", grid.toJson());
        assertEquals(grid, ModelGrid.fromJson(grid.toJson()));
        assertEquals(grid, ModelGrid.fromMap(grid.toMap()));
        assertEquals(grid, ModelGrid.aspectsInAtlas(2).withDeformableAtlas().withSpacing(1.5));
        assertFalse(ModelGrid.fromJson(ModelGrid.aspectsInAtlas(1.5).toJson()).deformableAtlas());
        assertFalse(ModelGrid.fromMap(ModelGrid.aspectsInAtlas(1.5).toMap()).deformableAtlas());
        assertEquals(grid.atlasGeometry(), ModelGrid.aspectsInAtlas(1.5).atlasGeometry());
        assertThrows(IllegalArgumentException.class, ModelGrid.COARSE::withDeformableAtlas);
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
