package org.triplane.imaging.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Labels drawn on a scan's rotated grid, carried back to the scan as acquired, must sit on the
 * anatomy of the acquired CT. Checked on a synthetic subject whose CT, pose and labels are
 * consistent by construction, with expectations from geometry and tissue physics.
 */
class AcquiredGridMapperTest {
    private static final PhantomSpec SPEC = PhantomSpec.of(112, 112, 48, new double[] {1.9, 1.9, 3.0}, 5L);

    private static PhantomSubject subject;
    private static Volume mapped;

    @BeforeAll
    static void generate() {
        subject = new PhantomGenerator(SPEC, 2).generate(1);
        mapped = new AcquiredGridMapper(2).toAcquired(subject.labels(), subject.pose());
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    /** Physical centroid (LPS mm) of the voxels whose label is in {@code [lo, hi]}. */
    private static double[] centroid(Volume labels, int lo, int hi) {
        Geometry g = labels.geometry();
        byte[] b = bytes(labels);
        double[] sum = new double[3];
        long n = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    int l = b[i + g.nx() * (j + g.ny() * k)] & 0xFF;
                    if (l >= lo && l <= hi) {
                        double[] p = g.indexToPhysical(i, j, k);
                        for (int d = 0; d < 3; d++) {
                            sum[d] += p[d];
                        }
                        n++;
                    }
                }
            }
        }
        assertTrue(n > 0, "no voxels labelled " + lo + ".." + hi);
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }

    @Test
    void identityKeepsEveryLabelAndShiftMovesThemTheRightWay() {
        Geometry g = Geometry.axisAligned(4, 1, 1, new double[] {2, 1, 1}, new double[] {10, 0, 0});
        Volume rotated = Volume.allocate(g, DataType.UINT8);
        bytes(rotated)[0] = 3;
        bytes(rotated)[1] = 7;
        bytes(rotated)[2] = 9;
        bytes(rotated)[3] = 20;
        AcquiredGridMapper mapper = new AcquiredGridMapper(1);
        assertArrayEquals(bytes(rotated), bytes(mapper.toAcquired(rotated, AffineTransform.identity())));
        // rotated(p) = acquired(p + 2 mm x): what the rotated grid shows at voxel i lies at acquired voxel i + 1
        AffineTransform shift = new AffineTransform(Matrix3.identity(), new double[3], new double[] {2, 0, 0});
        assertArrayEquals(new byte[] {0, 3, 7, 9}, bytes(mapper.toAcquired(rotated, shift)));
    }

    @Test
    void onlyUint8IsMapped() {
        Volume ct = Volume.allocate(Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[3]), DataType.INT16);
        assertThrows(IllegalArgumentException.class, () -> new AcquiredGridMapper(1).toAcquired(ct, AffineTransform.identity()));
    }

    @Test
    void mappedRegionsSitOnBrainTissueOfTheAcquiredCt() {
        byte[] lab = bytes(mapped);
        byte[] unmapped = bytes(subject.labels());
        short[] hu = ((VoxelBuffer.Int16) subject.ct().voxels()).data;
        double sum = 0;
        long n = 0;
        long offTissue = 0;
        long unmappedN = 0;
        long unmappedOffTissue = 0;
        for (int i = 0; i < lab.length; i++) {
            // why: grey and white matter lie within about 0..60 HU; air, fat and bone do not
            boolean tissue = hu[i] > -20 && hu[i] < 80;
            if (lab[i] != 0) {
                sum += hu[i];
                n++;
                offTissue += tissue ? 0 : 1;
            }
            if (unmapped[i] != 0) {
                unmappedN++;
                unmappedOffTissue += tissue ? 0 : 1;
            }
        }
        double mean = sum / n;
        double off = (double) offTissue / n;
        double unmappedOff = (double) unmappedOffTissue / unmappedN;
        assertTrue(mean > 15 && mean < 40, "mean HU inside mapped regions " + mean);
        assertTrue(off < 0.02, "share of mapped region voxels off brain tissue " + off);
        assertTrue(unmappedOff > off + 0.01, "labels left on the rotated grid should fit the acquired CT worse: " + unmappedOff);
    }

    @Test
    void centroidsMoveThroughTheTransform() {
        AffineTransform t = subject.pose();
        double voxel = SPEC.spacing()[2];
        int[][] ranges = {{1, 20}, {1, 10}, {11, 20}, {6, 6}, {16, 16}};
        for (int[] r : ranges) {
            double[] rotated = centroid(subject.labels(), r[0], r[1]);
            double[] acquired = centroid(mapped, r[0], r[1]);
            double[] forward = t.apply(rotated);
            double[] backward = t.inverse().apply(rotated);
            for (int d = 0; d < 3; d++) {
                assertEquals(forward[d], acquired[d], SPEC.spacing()[d], "labels " + r[0] + ".." + r[1] + " axis " + d);
            }
            // why: a region R on the rotated grid is T(R) on the acquired one, never T⁻¹(R)
            assertTrue(distance(acquired, backward) > 2 * voxel, "the pose is too small to tell T from T⁻¹");
        }
    }

    @Test
    void rotatingTheMappedLabelsForwardGivesThemBack() {
        Volume back = new Resampler(2).resample(mapped, subject.pose(), Interpolation.NEAREST, 0, DataType.UINT8);
        byte[] original = bytes(subject.labels());
        byte[] roundTrip = bytes(back);
        long region = 0;
        long same = 0;
        for (int i = 0; i < original.length; i++) {
            if (original[i] != 0) {
                region++;
                same += original[i] == roundTrip[i] ? 1 : 0;
            }
        }
        double share = (double) same / region;
        assertTrue(share >= 0.95, "round trip keeps only " + share + " of " + region + " region voxels");
    }
}
