package org.triplane.imaging.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class EvaluationSummaryTest {
    private static final Geometry GRID = Geometry.axisAligned(90, 70, 60, new double[] {0.5, 0.8, 2.0}, new double[3]);

    /** Truth with labels 0..12 (13..20 absent); the prediction keeps 70 % and scatters the rest over 0..16. */
    private static Volume[] pair(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Volume truth = Volume.allocate(GRID, DataType.UINT8);
        Volume pred = Volume.allocate(GRID, DataType.UINT8);
        byte[] t = ((VoxelBuffer.UInt8) truth.voxels()).data;
        byte[] p = ((VoxelBuffer.UInt8) pred.voxels()).data;
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(13));
            p[i] = r.nextInt(10) < 7 ? t[i] : (byte) r.nextInt(17);
        }
        return new Volume[] {truth, pred};
    }

    @Test
    void meansFollowTheStudysDefinitions() {
        Volume[] v = pair(3);
        byte[] t = ((VoxelBuffer.UInt8) v[0].voxels()).data;
        byte[] p = ((VoxelBuffer.UInt8) v[1].voxels()).data;
        EvaluationSummary s = new SegmentationEvaluator(2).evaluate(v[0], v[1]);

        double voxelMl = 0.5 * 0.8 * 2.0 / 1000;
        double iouSum = 0;
        double diceSum = 0;
        double misSum = 0;
        int present = 0;
        double[] ratios = new double[21];
        int finite = 0;
        for (int label = 0; label <= 20; label++) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < t.length; i++) {
                boolean inT = t[i] == label;
                boolean inP = p[i] == label;
                tp += inT && inP ? 1 : 0;
                fp += !inT && inP ? 1 : 0;
                fn += inT && !inP ? 1 : 0;
            }
            ClassMetrics c = s.label(label);
            assertEquals(tp, c.truePositives(), "TP of " + label);
            assertEquals(fp, c.falsePositives(), "FP of " + label);
            assertEquals(fn, c.falseNegatives(), "FN of " + label);
            assertEquals(t.length - tp - fp - fn, c.trueNegatives(), "TN of " + label);
            assertEquals((tp + fn) * voxelMl, c.truthMl(), 1e-12);
            assertEquals((tp + fp) * voxelMl, c.predictedMl(), 1e-12);
            if (label > 0 && tp + fp + fn > 0) {
                iouSum += (double) tp / (tp + fp + fn);
                diceSum += 2.0 * tp / (2 * tp + fp + fn);
                misSum += (double) (fp + fn) / t.length;
                present++;
            }
            if (label > 0 && fn > 0) {
                ratios[finite++] = (double) fp / fn;
            }
        }
        // labels 13..16 are predicted but never true: present, without an FP/FN ratio (FN = 0)
        assertEquals(16, present);
        assertEquals(12, finite);
        assertTrue(Double.isNaN(s.label(14).fpFnRatio()) && s.label(14).falsePositives() > 0);
        double mean = 0;
        for (int i = 0; i < finite; i++) {
            mean += ratios[i] / finite;
        }
        double var = 0;
        for (int i = 0; i < finite; i++) {
            var += (ratios[i] - mean) * (ratios[i] - mean) / finite;
        }
        assertEquals(iouSum / present, s.meanIoU(), 1e-12);
        assertEquals(diceSum / present, s.meanDice(), 1e-12);
        assertEquals(misSum / present, s.meanMisclassificationRate(), 1e-15);
        assertEquals(mean, s.meanFpFnRatio(), 1e-12);
        assertEquals(var, s.fpFnRatioVariance(), 1e-12);
        assertEquals(finite, s.finiteRatioRegions());
        assertEquals(t.length, s.voxels());
        assertEquals(voxelMl, s.voxelMl(), 1e-15);
        assertEquals(21, s.classes().size());
    }

    @Test
    void threadCountDoesNotChangeTheCounts() {
        Volume[] v = pair(8);
        ConfusionMatrix one = new SegmentationEvaluator(1).confusion(v[0], v[1]);
        ConfusionMatrix three = new SegmentationEvaluator(3).confusion(v[0], v[1]);
        assertTrue(java.util.Arrays.deepEquals(one.toArray(), three.toArray()));
        assertEquals(GRID.voxelCount(), three.total());
    }

    @Test
    void emptySegmentationsHaveNoMeans() {
        Volume zeros = Volume.allocate(GRID, DataType.UINT8);
        EvaluationSummary s = new SegmentationEvaluator(2).evaluate(zeros, zeros);
        assertTrue(Double.isNaN(s.meanIoU()) && Double.isNaN(s.meanMisclassificationRate())
                && Double.isNaN(s.meanFpFnRatio()) && Double.isNaN(s.fpFnRatioVariance()));
        assertEquals(0, s.finiteRatioRegions());
        assertEquals(1.0, s.label(0).iou(), 0);
    }

    @Test
    void gridsAndTypesMustMatch() {
        Volume a = Volume.allocate(GRID, DataType.UINT8);
        Volume b = Volume.allocate(Geometry.axisAligned(90, 70, 60, new double[] {0.5, 0.8, 2.5}, new double[3]), DataType.UINT8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SegmentationEvaluator(1).confusion(a, b));
        assertTrue(e.getMessage().contains("differs from the reference grid"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentationEvaluator(1).confusion(a, Volume.allocate(GRID, DataType.INT16)));
    }
}
