package org.triplane.imaging.plane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.triplane.imaging.testing.TestVolumes;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class PlaneSlicerTest {
    /** 5×4×3, identity direction: array i → patient left (+x LPS), j → posterior, k → superior. */
    private static Volume numbered(double[] direction) {
        Geometry g = new Geometry(5, 4, 3, new double[] {1, 1, 2}, new double[3], direction);
        Volume v = Volume.allocate(g, DataType.UINT8);
        for (int i = 0; i < 60; i++) {
            v.voxels().set(i, i);
        }
        return v;
    }

    private static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** Value at array index (i,j,k) of the numbered 5×4×3 volume. */
    private static int at(int i, int j, int k) {
        return i + 5 * (j + 4 * k);
    }

    private static int pixel(PlaneStack s, int slice, int row, int col) {
        PlaneLayout l = s.layout();
        return s.data()[(slice * l.paddedHeight() + row + l.padTop()) * l.paddedWidth() + col + l.padLeft()] & 0xFF;
    }

    @Test
    void axialSlicesStepUpwardRowsPosteriorColumnsLeft() {
        PlaneStack s = PlaneSlicer.slice(numbered(IDENTITY), Plane.AXIAL, 0, (byte) 0);
        assertEquals(3, s.layout().slices());
        assertEquals(4, s.layout().height());
        assertEquals(5, s.layout().width());
        assertEquals(at(3, 1, 2), pixel(s, 2, 1, 3));
    }

    @Test
    void coronalAndSagittalPutSuperiorAtTheTop() {
        Volume v = numbered(IDENTITY);
        PlaneStack c = PlaneSlicer.slice(v, Plane.CORONAL, 0, (byte) 0);
        // coronal: slice = j, row 0 = top = highest k, column = i
        assertEquals(at(4, 2, 2), pixel(c, 2, 0, 4));
        assertEquals(at(4, 2, 0), pixel(c, 2, 2, 4));
        PlaneStack s = PlaneSlicer.slice(v, Plane.SAGITTAL, 0, (byte) 0);
        // sagittal: slice = i, row 0 = highest k, column = j
        assertEquals(5, s.layout().slices());
        assertEquals(at(1, 3, 2), pixel(s, 1, 0, 3));
    }

    @Test
    void arrayAxesAreChosenFromDirectionCosinesNotArrayOrder() {
        // array i runs toward patient RIGHT (−x): sagittal slice 0 must be the array's last i (most left)
        Volume flipped = numbered(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1});
        PlaneStack s = PlaneSlicer.slice(flipped, Plane.SAGITTAL, 0, (byte) 0);
        assertEquals(at(4, 0, 2), pixel(s, 0, 0, 0));
        // a scan stored sagittally: array i → posterior (+y), j → superior (+z), k → left (+x)
        Volume sag = numbered(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0});
        PlaneStack ax = PlaneSlicer.slice(sag, Plane.AXIAL, 0, (byte) 0);
        assertEquals(1, ax.layout().sliceAxis());
        assertEquals(4, ax.layout().slices());
        // axial slice = j (superior), row = i (posterior), column = k (left)
        assertEquals(at(2, 1, 0), pixel(ax, 1, 2, 0));
    }

    @Test
    void slicesArePaddedToAMultipleOfTwoToTheDepth() {
        Volume v = Volume.allocate(new Geometry(70, 45, 9, new double[] {1, 1, 1}, new double[3], IDENTITY), DataType.UINT8);
        PlaneStack s = PlaneSlicer.slice(v, Plane.CORONAL, 5, (byte) 0);
        assertEquals(32, s.layout().paddedHeight());
        assertEquals(96, s.layout().paddedWidth());
        assertEquals(11, s.layout().padTop());
        assertEquals(13, s.layout().padLeft());
    }

    @ParameterizedTest
    @EnumSource(Plane.class)
    void assembleIsTheExactInverseOfSlice(Plane plane) {
        Volume v = TestVolumes.random(TestVolumes.oblique(23, 17, 11), DataType.UINT8, 99);
        PlaneStack s = PlaneSlicer.slice(v, plane, 4, (byte) 7);
        Volume back = PlaneSlicer.assemble(s, v.geometry());
        assertArrayEquals(((VoxelBuffer.UInt8) v.voxels()).data, ((VoxelBuffer.UInt8) back.voxels()).data);
    }

    @Test
    void onlyOneByteVolumesAreSliced() {
        Volume v = Volume.allocate(Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[3]), DataType.INT16);
        assertThrows(IllegalArgumentException.class, () -> PlaneSlicer.slice(v, Plane.AXIAL, 0, (byte) 0));
    }
}
