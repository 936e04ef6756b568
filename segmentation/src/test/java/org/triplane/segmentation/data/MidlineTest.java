package org.triplane.segmentation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

class MidlineTest {

    @Test
    void boxOfTissueIsHalvedAtItsCentre() {
        // 40×6×4 voxels of 2 mm starting at x = −30 mm; tissue at i = 10..29 on every line
        Geometry g = Geometry.axisAligned(40, 6, 4, new double[] {2, 2, 2}, new double[] {-30, 0, 0});
        Volume v = Volume.allocate(g, DataType.UINT8);
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 6; j++) {
                for (int i = 10; i <= 29; i++) {
                    TestScans.bytes(v)[v.index(i, j, k)] = (byte) 40;
                }
            }
        }
        // centre index (10 + 29) / 2 = 19.5 → x = −30 + 19.5·2 = 9 mm
        assertEquals(9.0, Midline.estimateXMm(v).getAsDouble(), 1e-9);
    }

    @Test
    void emptyScanHasNoMidline() {
        Geometry g = Geometry.axisAligned(8, 8, 8, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        assertFalse(Midline.estimateXMm(Volume.allocate(g, DataType.UINT8)).isPresent());
    }

    @Test
    void refusesNonByteVolumes() {
        Geometry g = Geometry.axisAligned(8, 8, 8, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Midline.estimateXMm(Volume.allocate(g, DataType.INT16)));
        assertTrue(e.getMessage().contains("int16"), e.getMessage());
    }

    @Test
    void phantomMidlineMatchesTheLabelsHemispheres() {
        for (int number = 1; number <= 3; number++) {
            ScanVolumes scan = TestScans.small(number);
            double truth = TestScans.labelMidlineXMm(scan.labels());
            double estimate = Midline.estimateXMm(scan.windowed()).getAsDouble();
            assertEquals(truth, estimate, 2.0, "subject " + number);
        }
    }

    @Test
    void shiftedHeadMovesTheEstimateByTheShift() {
        ScanVolumes scan = TestScans.small(2);
        double before = Midline.estimateXMm(scan.windowed()).getAsDouble();
        for (int shift : new int[] {-9, 12}) {
            Volume moved = TestScans.shiftAlongI(scan.windowed(), shift);
            double after = Midline.estimateXMm(moved).getAsDouble();
            // identity direction: one voxel along i is +1.8 mm along LPS x
            assertEquals(shift * 1.8, after - before, 0.5 * 1.8, "shift " + shift);
            double truth = TestScans.labelMidlineXMm(TestScans.shiftAlongI(scan.labels(), shift));
            assertEquals(truth, after, 2.0, "shift " + shift + " against shifted labels");
        }
    }

    @Test
    void headMovedBySubVoxelDistancesIsFollowed() {
        PhantomSubject subject = TestScans.smallSubject(4);
        double truth = TestScans.labelMidlineXMm(subject.labels());
        for (double dx : new double[] {-13.7, 6.3, 21.1}) {
            // why: out(p) = rotated(p − d) moves the anatomy by +d, so its midline moves to truth + dx
            AffineTransform moveBack = new AffineTransform(Matrix3.identity(), new double[3], new double[] {-dx, 0, 0});
            Volume moved = new WindowedRotation(TestScans.RESAMPLER)
                    .apply(subject.ct(), subject.pose().compose(moveBack), Window.STUDY);
            assertEquals(truth + dx, Midline.estimateXMm(moved).getAsDouble(), 1.0, "moved " + dx + " mm");
        }
    }

    @Test
    void reversedArrayAxisGivesTheSamePhysicalMidline() {
        ScanVolumes scan = TestScans.small(3);
        OptionalDouble normal = Midline.estimateXMm(scan.windowed());
        OptionalDouble reversed = Midline.estimateXMm(TestScans.reverseI(scan.windowed()));
        assertEquals(normal.getAsDouble(), reversed.getAsDouble(), 1e-6);
    }
}
