package org.triplane.imaging.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Scanner variety ({@link PhantomSpec.Acquisition}): field-of-view offset, vertex and skull-base
 * cuts, gantry tilt, calibration offset and noise level. Expected values come from the spec, from
 * the atlas volumes read directly, or from a second generation of the same subject without the
 * option, never from the generator's own bookkeeping.
 */
class PhantomAcquisitionTest {
    /** Tall enough (200 mm) that a centred head's brain fits with room to move. */
    private static final PhantomSpec TALL = PhantomSpec.of(80, 80, 50, new double[] {3, 3, 4}, 5L);

    @Test
    void defaultScansAreTheSameAsBeforeTheOptionsExisted() throws NoSuchAlgorithmException {
        // SHA-256 of CT (int16 little-endian) then labels, written down from the generator before
        // Acquisition existed (commit b1e7185)
        PhantomGenerator g = new PhantomGenerator(PhantomSpec.of(64, 64, 24, new double[] {3.5, 3.5, 6}, 31L), 2);
        assertEquals("ca038a1b6431fef9314a14be3efb66271006dbc51838f10fd6956c40a1bffa35", digest(g.generate(1)));
        assertEquals("6b28b2a3c3ab72b1f45087d7c286dff5885b7ec348b39ee0f0bca54af809605b", digest(g.generate(2)));
    }

    @Test
    void everyOptionTogetherIsDeterministicWhateverTheThreadCount() throws NoSuchAlgorithmException {
        PhantomSpec spec = TALL.withAcquisition(PhantomSpec.Acquisition.NONE.withOffset(25, -15).withVertexCut(20)
                .withTilt(17).withCalibration(12));
        spec = spec.withVariation(spec.variation().withNoise(10, 14));
        String one = digest(new PhantomGenerator(spec, 1).generate(3));
        assertEquals(one, digest(new PhantomGenerator(spec, 2).generate(3)));
        assertEquals(one, digest(new PhantomGenerator(spec, 3).generate(3)));
        assertTrue(!one.equals(digest(new PhantomGenerator(TALL, 2).generate(3))), "the options change the scan");
    }

    @Test
    void headOffsetMovesTheHeadByExactlyThatMuchInTheStoredGrid() {
        // why 300 mm: the atlas's tissue is 190 mm wide (it reaches its own grid's sides at the neck)
        PhantomSpec wide = PhantomSpec.of(100, 100, 50, new double[] {3, 3, 4}, 5L);
        PhantomSubject centred = new PhantomGenerator(wide, 2).generate(1);
        PhantomSubject moved = new PhantomGenerator(wide.withAcquisition(PhantomSpec.Acquisition.NONE.withOffset(30, -20)), 2)
                .generate(1);
        double[] a = tissueCentroid(centred.ct());
        double[] b = tissueCentroid(moved.ct());
        // the head stays inside the field, so its centroid moves with it
        assertEquals(30, b[0] - a[0], 0.5, "x shift");
        assertEquals(-20, b[1] - a[1], 0.5, "y shift");
        assertEquals(0, b[2] - a[2], 0.5, "z shift");
        assertArrayEquals(centred.pose().matrix(), moved.pose().matrix(), 0, "same subject, same pose");
    }

    @Test
    void vertexAndBaseCutsLeaveThatMuchBrainOutsideTheGrid() {
        // no size, warp or pose: canonical and stored grid coincide and the brain is the atlas's own
        PhantomSpec flat = TALL.withVariation(PhantomSpec.Variation.NONE);
        Geometry g = flat.geometry();
        double top = g.indexToPhysical(0, 0, g.nz() - 1)[2];
        double bottom = g.origin()[2];
        // brain-mask top and bottom and label top and bottom above the brain centre, from the atlas itself
        double[] atlasZ = atlasHeights();
        double labelsBelowBrainTop = atlasZ[1] - atlasZ[3];
        double labelsAboveBrainBottom = atlasZ[2] - atlasZ[0];
        for (double cut : new double[] {10, 25}) {
            PhantomSubject v = new PhantomGenerator(flat.withAcquisition(PhantomSpec.Acquisition.NONE.withVertexCut(cut)), 2)
                    .generate(1);
            double[] labelZ = labelHeights(v.labels());
            assertEquals(top + cut - labelsBelowBrainTop, labelZ[1], g.spacing()[2],
                    "vertex cut " + cut + " mm: highest labelled slice");
            PhantomSubject b = new PhantomGenerator(flat.withAcquisition(PhantomSpec.Acquisition.NONE.withBaseCut(cut)), 2)
                    .generate(1);
            labelZ = labelHeights(b.labels());
            assertEquals(bottom - cut + labelsAboveBrainBottom, labelZ[0], g.spacing()[2],
                    "base cut " + cut + " mm: lowest labelled slice");
        }
    }

    @Test
    void labelsEndWhereTheRotatedScanHasNoData() {
        // a deep vertex cut: the labels reach the grid's top, where the pose carries some points out
        PhantomSpec spec = TALL.withAcquisition(PhantomSpec.Acquisition.NONE.withVertexCut(60));
        spec = spec.withVariation(spec.variation().withPose(15, 6));
        PhantomSubject s = new PhantomGenerator(spec, 2).generate(2);
        Volume rotated = new Resampler(2).resample(s.ct(), s.pose(), Interpolation.NEAREST, -5000, DataType.FLOAT32);
        byte[] lab = ((VoxelBuffer.UInt8) s.labels().voxels()).data;
        long labelled = 0;
        long onNoData = 0;
        long labelledTopSlice = 0;
        int slice = TALL.nx() * TALL.ny();
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] != 0) {
                labelled++;
                onNoData += rotated.voxels().get(i) == -5000 ? 1 : 0;
                labelledTopSlice += i >= lab.length - slice ? 1 : 0;
            }
        }
        assertTrue(labelledTopSlice > 100, "premise: labels reach the top slice (" + labelledTopSlice + ")");
        // a voxel right on the grid's edge may round either way between the two computations
        assertTrue(onNoData <= labelled / 2000, onNoData + " of " + labelled + " labelled voxels where the rotated scan has no data");
    }

    @Test
    void tiltShearsTheAnatomyAsTheTiltedSlicesShowIt() {
        PhantomSpec flat = TALL.withVariation(PhantomSpec.Variation.NONE);
        double theta = Math.toRadians(18);
        PhantomSubject straight = new PhantomGenerator(flat, 2).generate(1);
        PhantomSubject tilted = new PhantomGenerator(flat.withAcquisition(PhantomSpec.Acquisition.NONE.withTilt(18)), 2).generate(1);
        // the stored voxel q shows the true point (x, c_y + cos θ·(y − c_y), z + sin θ·(y − c_y)), c the grid centre
        double[] c = flat.geometry().centre();
        double[] m = {1, 0, 0, 0, Math.cos(theta), 0, 0, Math.sin(theta), 1};
        AffineTransform shear = new AffineTransform(m, c, new double[3]);
        Volume expected = new Resampler(2).resample(straight.ct(), shear, Interpolation.LINEAR, -1024, DataType.FLOAT32);
        Volume unsheared = straight.ct();
        double errTilted = meanAbsDifferenceInHead(tilted.ct(), expected);
        double errStraight = meanAbsDifferenceInHead(tilted.ct(), unsheared);
        // linear reading of an already interpolated scan blurs a little; the shear itself is large
        assertTrue(errTilted < 12, "tilted scan vs the untilted one read through the shear: " + errTilted + " HU");
        assertTrue(errStraight > 5 * errTilted, "tilted vs untilted scan: " + errStraight + " HU (vs " + errTilted + ")");
    }

    @Test
    void tiltedLabelsFollowTheShearedAnatomyInTheRotatedScan() {
        // with the other options on as well: the head off-centre, the vertex cut, a calibration offset
        PhantomSpec.Acquisition others = PhantomSpec.Acquisition.NONE.withOffset(25, -15).withVertexCut(20).withCalibration(10);
        PhantomSubject tilted = new PhantomGenerator(TALL.withAcquisition(others.withTilt(-16)), 2).generate(2);
        PhantomSubject straight = new PhantomGenerator(TALL.withAcquisition(others), 2).generate(2);
        assertTrue(tilted.pose().isRotation(1e-12), "the transform file stays a rotation");
        Volume rotated = new Resampler(2).resample(tilted.ct(), tilted.pose(), Interpolation.LINEAR, -1024, DataType.FLOAT32);
        double own = shareOutsideBrainWindow(tilted.labels(), rotated);
        double unshearedLabels = shareOutsideBrainWindow(straight.labels(), rotated);
        Volume straightRotated = new Resampler(2).resample(straight.ct(), straight.pose(), Interpolation.LINEAR, -1024,
                DataType.FLOAT32);
        double untilted = shareOutsideBrainWindow(straight.labels(), straightRotated);
        // the 10 HU calibration moves brain (20–40 HU) to 30–50 HU, still well inside −20..80 HU
        assertTrue(untilted < 0.03, 100 * untilted + " % of the untilted scan's labels lie outside −20..80 HU");
        assertTrue(own < 0.03, 100 * own + " % of the tilted scan's labels lie outside −20..80 HU");
        assertTrue(unshearedLabels > 3 * own, "the untilted labels fit the tilted scan worse: " + unshearedLabels + " vs " + own);
    }

    @Test
    void calibrationShiftsTissueOnlyAndNoiseLevelIsTheOneAskedFor() {
        PhantomSpec quiet = TALL.withVariation(TALL.variation().withNoise(0, 0));
        Volume base = new PhantomGenerator(quiet, 2).generate(4).ct();
        Volume offset = new PhantomGenerator(quiet.withAcquisition(PhantomSpec.Acquisition.NONE.withCalibration(15)), 2)
                .generate(4).ct();
        PhantomSpec noisy = TALL.withVariation(TALL.variation().withNoise(20, 20));
        PhantomSubject loud = new PhantomGenerator(noisy, 2).generate(4);
        short[] b = ((VoxelBuffer.Int16) base.voxels()).data;
        short[] o = ((VoxelBuffer.Int16) offset.voxels()).data;
        short[] n = ((VoxelBuffer.Int16) loud.ct().voxels()).data;
        long tissue = 0;
        long shifted = 0;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == -1024) {
                assertEquals(-1024, o[i], "air stays air");
                continue;
            }
            // away from the clamp at −1024 and from partial volume with air, where rounding meets the clamp
            if (b[i] > -900 && b[i] < 3000) {
                tissue++;
                shifted += o[i] - b[i] == 15 ? 1 : 0;
                double d = n[i] - b[i];
                sum += d;
                sumSq += d * d;
            }
        }
        assertTrue(shifted >= 0.999 * tissue, shifted + " of " + tissue + " tissue voxels 15 HU higher");
        double mean = sum / tissue;
        double sigma = Math.sqrt(sumSq / tissue - mean * mean);
        assertEquals(20, loud.noiseSigmaHu(), 0);
        // the generator's normal deviates are cut at about ±4σ, which lowers σ by far less than 1 %
        assertEquals(20, sigma, 0.4, "measured noise σ");
        assertEquals(0, mean, 0.2, "noise mean");
    }

    @Test
    void fieldOfViewPresetKeepsTheFieldWhateverTheVoxelSize() {
        PhantomSpec thin = PhantomSpec.ofField(new double[] {230, 230, 150}, new double[] {0.4, 0.4, 1}, 1L);
        assertEquals(575, thin.nx());
        assertEquals(150, thin.nz());
        PhantomSpec thick = PhantomSpec.ofField(new double[] {230, 230, 150}, new double[] {1, 1, 5}, 1L);
        assertEquals(230, thick.ny());
        assertEquals(30, thick.nz());
    }

    @Test
    void contradictoryOrOutOfRangeAcquisitionsAreRefusedNamingTheField() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new PhantomSpec.Acquisition(0, 0, 10, 10, 0, 0));
        assertTrue(both.getMessage().contains("vertexCutMm or baseCutMm"), both.getMessage());
        IllegalArgumentException tilt = assertThrows(IllegalArgumentException.class,
                () -> PhantomSpec.Acquisition.NONE.withTilt(40));
        assertTrue(tilt.getMessage().contains("tiltDeg"), tilt.getMessage());
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> PhantomSpec.Acquisition.NONE.withVertexCut(-1));
        assertTrue(cut.getMessage().contains("vertexCutMm"), cut.getMessage());
    }

    private static String digest(PhantomSubject s) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (short v : ((VoxelBuffer.Int16) s.ct().voxels()).data) {
            md.update((byte) v);
            md.update((byte) (v >> 8));
        }
        md.update(((VoxelBuffer.UInt8) s.labels().voxels()).data);
        return HexFormat.of().formatHex(md.digest());
    }

    /** LPS centroid (mm) of voxels above −500 HU. */
    private static double[] tissueCentroid(Volume ct) {
        Geometry g = ct.geometry();
        double[] sum = new double[3];
        long n = 0;
        int idx = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, idx++) {
                    if (ct.voxels().get(idx) > -500) {
                        double[] p = g.indexToPhysical(i, j, k);
                        for (int d = 0; d < 3; d++) {
                            sum[d] += p[d];
                        }
                        n++;
                    }
                }
            }
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** LPS z (mm) of the lowest and highest labelled voxel centres. */
    private static double[] labelHeights(Volume labels) {
        Geometry g = labels.geometry();
        byte[] lab = ((VoxelBuffer.UInt8) labels.voxels()).data;
        int slice = g.nx() * g.ny();
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] != 0) {
                double z = g.indexToPhysical(0, 0, i / slice)[2];
                lo = Double.isNaN(lo) ? z : Math.min(lo, z);
                hi = Double.isNaN(hi) ? z : Math.max(hi, z);
            }
        }
        return new double[] {lo, hi};
    }

    /** Relative to the atlas brain centre (mm): brain-mask bottom, top, label bottom, top (voxel centres). */
    private static double[] atlasHeights() {
        Atlas atlas = Atlas.get();
        Geometry g = atlas.geometry();
        double cz = atlas.brainCentre()[2];
        byte[] mask = ((VoxelBuffer.UInt8) atlas.brainMask().voxels()).data;
        byte[] lab = ((VoxelBuffer.UInt8) atlas.labels().voxels()).data;
        double[] out = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        int slice = g.nx() * g.ny();
        for (int i = 0; i < mask.length; i++) {
            double z = g.indexToPhysical(0, 0, i / slice)[2] - cz;
            if (mask[i] != 0) {
                out[0] = Math.min(out[0], z);
                out[1] = Math.max(out[1], z);
            }
            if (lab[i] != 0) {
                out[2] = Math.min(out[2], z);
                out[3] = Math.max(out[3], z);
            }
        }
        return out;
    }

    private static double meanAbsDifferenceInHead(Volume a, Volume b) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.voxels().length(); i++) {
            double va = a.voxels().get(i);
            double vb = b.voxels().get(i);
            if (va > -500 || vb > -500) {
                sum += Math.abs(va - vb);
                n++;
            }
        }
        return sum / n;
    }

    private static double shareOutsideBrainWindow(Volume labels, Volume ct) {
        byte[] lab = ((VoxelBuffer.UInt8) labels.voxels()).data;
        long labelled = 0;
        long outside = 0;
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] != 0) {
                labelled++;
                double hu = ct.voxels().get(i);
                outside += hu < -20 || hu > 80 ? 1 : 0;
            }
        }
        return (double) outside / labelled;
    }
}
