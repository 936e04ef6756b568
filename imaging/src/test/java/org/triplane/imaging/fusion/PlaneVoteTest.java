package org.triplane.imaging.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class PlaneVoteTest {
    private static final Geometry ROW8 = Geometry.axisAligned(4, 2, 1, new double[] {0.5, 0.5, 1.25}, new double[] {-1, 2, -60});

    private static Volume uint8(Geometry g, int... values) {
        Volume v = Volume.allocate(g, DataType.UINT8);
        for (int i = 0; i < values.length; i++) {
            ((VoxelBuffer.UInt8) v.voxels()).data[i] = (byte) values[i];
        }
        return v;
    }

    private static int[] ints(Volume v) {
        byte[] b = ((VoxelBuffer.UInt8) v.voxels()).data;
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void majorityNeedsTwoPlanesElseBackground() {
        //                                           0   1   2   3   4   5   6   7
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8, 5, 5, 5, 7, 1, 0, 3, 20), uint8(ROW8, 30, 30, 30, 30, 30, 30, 30, 255));
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, uint8(ROW8, 5, 5, 7, 5, 2, 0, 0, 11), uint8(ROW8, 60, 60, 60, 60, 60, 60, 60, 255));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(ROW8, 5, 7, 5, 5, 3, 3, 0, 20), uint8(ROW8, 90, 90, 90, 90, 90, 90, 90, 254));
        FusedLabels f = new PlaneVote(1).fuse(FusionMethod.MAJORITY, ax, co, sa);
        assertArrayEquals(new int[] {5, 5, 5, 5, 0, 0, 0, 20}, ints(f.labels()));
        // support = round(sum of the confidences of the planes that voted for the winner / 3)
        // 0: (30+60+90)/3=60  1: (30+60)/3=30  2: (30+90)/3=40  3: (60+90)/3=50  4: nobody voted 0
        // 5: (30+60)/3=30  6: (60+90)/3=50  7: (255+254)/3=169.67
        assertArrayEquals(new int[] {60, 30, 40, 50, 0, 30, 50, 170}, ints(f.support()));
        assertEquals(FusionMethod.MAJORITY, f.method());
        assertTrue(f.labels().geometry().sameGrid(ROW8, 0));
    }

    @Test
    void majorityWithoutConfidenceGivesTheSameLabelsAndNoSupport() {
        PlanePrediction ax = PlanePrediction.labelsOnly(Plane.AXIAL, uint8(ROW8, 5, 5, 5, 7, 1, 0, 3, 20));
        PlanePrediction co = PlanePrediction.labelsOnly(Plane.CORONAL, uint8(ROW8, 5, 5, 7, 5, 2, 0, 0, 11));
        PlanePrediction sa = PlanePrediction.labelsOnly(Plane.SAGITTAL, uint8(ROW8, 5, 7, 5, 5, 3, 3, 0, 20));
        Volume atlas = uint8(ROW8, 5, 7, 7, 7, 1, 3, 0, 11);

        FusedLabels three = new PlaneVote(1).fuse(FusionMethod.MAJORITY, ax, co, sa);
        FusedLabels four = new PlaneVote(1).fuse(FusionMethod.MAJORITY, ax, co, sa, atlas);

        assertArrayEquals(new int[] {5, 5, 5, 5, 0, 0, 0, 20}, ints(three.labels()));
        assertEquals(null, three.support());
        // 1, 2, 3, 5, 7: two against two -> 0   4: 1,2,3,1 -> 1   6: 3,0,0,0 -> 0
        assertArrayEquals(new int[] {5, 0, 0, 0, 1, 0, 0, 0}, ints(four.labels()));
        assertEquals(null, four.support());
        PlanePrediction axWeighed = new PlanePrediction(Plane.AXIAL, ax.labels(), uint8(ROW8, 9, 9, 9, 9, 9, 9, 9, 9));
        PlanePrediction coWeighed = new PlanePrediction(Plane.CORONAL, co.labels(), uint8(ROW8, 99, 9, 9, 9, 9, 9, 9, 9));
        PlanePrediction saWeighed = new PlanePrediction(Plane.SAGITTAL, sa.labels(), uint8(ROW8, 9, 9, 9, 9, 9, 9, 9, 250));
        assertArrayEquals(ints(three.labels()),
                ints(new PlaneVote(1).fuse(FusionMethod.MAJORITY, axWeighed, coWeighed, saWeighed).labels()));
        assertArrayEquals(ints(four.labels()),
                ints(new PlaneVote(1).fuse(FusionMethod.MAJORITY, axWeighed, coWeighed, saWeighed, atlas).labels()));
    }

    @Test
    void aVoteThatWeighsConfidenceRefusesPredictionsWithoutIt() {
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8, 1), uint8(ROW8, 9));
        PlanePrediction co = PlanePrediction.labelsOnly(Plane.CORONAL, uint8(ROW8, 1));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(ROW8, 1), uint8(ROW8, 9));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlaneVote(1).fuse(FusionMethod.CONFIDENCE, ax, co, sa));
        assertTrue(e.getMessage().contains("coronal prediction: confidence volume is missing"), e.getMessage());
        assertTrue(FusionMethod.LEARNED.weighsConfidence());
        assertTrue(!FusionMethod.MAJORITY.weighsConfidence());
    }

    @Test
    void confidenceWeightsVotesWithDocumentedTies() {
        //                                            0    1    2    3   4   5   6    7
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8, 5, 5, 5, 7, 1, 1, 1, 0), uint8(ROW8, 10, 100, 100, 255, 50, 10, 10, 200));
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, uint8(ROW8, 5, 5, 7, 5, 2, 2, 2, 4), uint8(ROW8, 20, 100, 200, 100, 50, 50, 20, 90));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(ROW8, 5, 7, 5, 5, 3, 3, 3, 4), uint8(ROW8, 30, 250, 100, 100, 50, 50, 30, 90));
        FusedLabels f = new PlaneVote(1).fuse(FusionMethod.CONFIDENCE, ax, co, sa);
        // 0: unanimous  1: lone 250 beats pair 200  2: pair 200 ties lone 200 -> more votes wins
        // 3: lone 255 beats pair 200  4: three-way tie -> axial  5: coronal/sagittal tie -> coronal
        // 6: sagittal heaviest  7: background 200 beats pair 180
        assertArrayEquals(new int[] {5, 7, 5, 7, 1, 2, 3, 0}, ints(f.labels()));
        // 0: 60/3  1: 250/3=83.3  2: 200/3=66.7  3: 255/3  4: 50/3=16.7  5: 50/3  6: 30/3  7: 200/3
        assertArrayEquals(new int[] {20, 83, 67, 85, 17, 17, 10, 67}, ints(f.support()));
    }

    @Test
    void theAtlasAsAFourthVoterNeedsALeadingLabelInTheMajorityVote() {
        //                                              0   1   2   3   4   5   6   7
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8, 5, 5, 5, 1, 1, 0, 3, 9), uint8(ROW8, 40, 40, 40, 40, 40, 40, 40, 40));
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, uint8(ROW8, 5, 5, 7, 1, 2, 0, 0, 9), uint8(ROW8, 80, 80, 80, 80, 80, 80, 80, 80));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(ROW8, 5, 7, 7, 2, 3, 4, 0, 9), uint8(ROW8, 120, 120, 120, 120, 120, 120, 120, 120));
        Volume atlas = uint8(ROW8, 5, 7, 8, 2, 4, 4, 6, 0);
        FusedLabels f = new PlaneVote(1).fuse(FusionMethod.MAJORITY, ax, co, sa, atlas);
        // 0: 4 of 4  1: 2-2 tie -> 0  2: 7 twice against 5 and 8  3: 2-2 tie -> 0  4: four labels -> 0
        // 5: 2-2 tie (0, 4) -> 0  6: 0 twice against 3 and 6  7: 9 three times against the atlas's 0
        assertArrayEquals(new int[] {5, 0, 7, 0, 0, 0, 0, 9}, ints(f.labels()));
        // support = round(sum of the winners' confidences / 4), the atlas counting 255
        // 0: (40+80+120+255)/4=123.75  1,3,4,5: none  2: (80+120)/4=50  6: (80+120)/4  7: 240/4
        assertArrayEquals(new int[] {124, 0, 50, 0, 0, 0, 50, 60}, ints(f.support()));
    }

    /** The four members of the two fixtures below: three planes and the atlas method, one column per voxel. */
    private static final PlanePrediction AX = new PlanePrediction(Plane.AXIAL,
            //        0    1    2   3    4   5  6    7
            uint8(ROW8, 5, 5, 7, 1, 2, 3, 0, 9), uint8(ROW8, 100, 80, 200, 10, 100, 50, 0, 255));
    private static final PlanePrediction CO = new PlanePrediction(Plane.CORONAL,
            uint8(ROW8, 5, 5, 5, 2, 2, 4, 0, 8), uint8(ROW8, 100, 80, 20, 10, 100, 50, 0, 255));
    private static final PlanePrediction SA = new PlanePrediction(Plane.SAGITTAL,
            uint8(ROW8, 5, 5, 5, 3, 6, 5, 0, 8), uint8(ROW8, 100, 80, 20, 10, 100, 50, 0, 0));
    private static final Volume ATLAS = uint8(ROW8, 6, 6, 5, 4, 6, 6, 1, 3);

    @Test
    void theAtlasAsAFourthVoterInTheConfidenceVoteCountsAsConfidence255() {
        FusedLabels f = new PlaneVote(1).fuse(FusionMethod.CONFIDENCE, AX, CO, SA, ATLAS);
        // 0: 5 with 300 against the atlas's 255  1: 5 with 240 loses to it  2: 5 with 20 + 20 + 255 beats 7 with 200
        // 3: three single votes of 10 against 255  4: 6 with 100 + 255 beats 2 with 200  5: the atlas's 255
        // 6: planes saying 0 with confidence 0 against the atlas  7: 255 each for 9, 8 (255 + 0) and 3: axial's label
        assertArrayEquals(new int[] {5, 6, 5, 4, 6, 6, 1, 9}, ints(f.labels()));
        // round(S / 4): 300/4  255/4  295/4  255/4  355/4  255/4  255/4  255/4
        assertArrayEquals(new int[] {75, 64, 74, 64, 89, 64, 64, 64}, ints(f.support()));
        assertEquals(FusionMethod.CONFIDENCE, f.method());
    }

    @Test
    void theLearnedVoteWeighsEachMembersConfidencePerLabel() {
        double[][] w = WeightedVote.equal().weights();
        w[3][6] = 0.5; // the atlas counts half for label 6
        w[1][5] = 0; // the coronal network's 5 does not count
        w[0][2] = 3; // the axial network's 2 counts three times
        FusedLabels f = new PlaneVote(1).fuse(new WeightedVote(w), AX, CO, SA, ATLAS);
        // 0: 5 with 100 + 0 + 100 against 6 with 127.5  1: 5 with 160 against 127.5  2: 5 with 0 + 20 + 255 beats 7 with 200
        // 3: 4 with 255  4: 2 with 300 + 100 beats 6 with 100 + 127.5  5: 6 with 127.5 against three votes of 50
        // 6: the atlas's 1 with 255  7: 255 each for 9, 8 and 3: axial's label
        assertArrayEquals(new int[] {5, 5, 5, 4, 2, 6, 1, 9}, ints(f.labels()));
        // support counts the confidences of the members that chose the winner, whatever their weights:
        // 300/4  240/4  295/4  255/4  200/4  255/4  255/4  255/4
        assertArrayEquals(new int[] {75, 60, 74, 64, 50, 64, 64, 64}, ints(f.support()));
        assertEquals(FusionMethod.LEARNED, f.method());
        assertArrayEquals(ints(f.labels()), ints(new WeightedVote(w).fuse(AX, CO, SA, ATLAS).labels()));
    }

    @Test
    void theLearnedVoteNeedsItsWeightsAndTheAtlas() {
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class,
                () -> new PlaneVote(1).fuse(FusionMethod.LEARNED, AX, CO, SA));
        assertTrue(three.getMessage().startsWith("the learned vote needs its fitted weights"), three.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PlaneVote(1).fuse(FusionMethod.LEARNED, AX, CO, SA, ATLAS));
        assertThrows(IllegalArgumentException.class, () -> new PlaneVote(1).fuse((WeightedVote) null, AX, CO, SA, ATLAS));
    }

    /** The learned vote restated: per label the sum of weight × confidence of the members that chose it; ties to the earlier member. */
    private static int expectedWeighted(double[][] w, int[] labels, int[] conf) {
        int best = -1;
        double bestSum = -1;
        for (int m = 0; m < 4; m++) {
            double sum = 0;
            for (int k = 0; k < 4; k++) {
                sum += labels[k] == labels[m] ? w[k][labels[m]] * conf[k] : 0;
            }
            if (sum > bestSum) {
                best = labels[m];
                bestSum = sum;
            }
        }
        return best;
    }

    @Test
    void theLearnedVoteOnSeveralThreadsMatchesItsRule() {
        SplittableRandom r = new SplittableRandom(17);
        Geometry g = Geometry.axisAligned(70, 50, 40, new double[] {1, 1, 2}, new double[3]);
        int n = (int) g.voxelCount();
        Volume[] l = new Volume[4];
        Volume[] c = new Volume[3];
        for (int m = 0; m < 4; m++) {
            l[m] = Volume.allocate(g, DataType.UINT8);
            for (int i = 0; i < n; i++) {
                l[m].voxels().set(i, r.nextInt(4));
            }
            if (m < 3) {
                c[m] = Volume.allocate(g, DataType.UINT8);
                for (int i = 0; i < n; i++) {
                    c[m].voxels().set(i, r.nextInt(256));
                }
            }
        }
        double[][] w = new double[4][21];
        for (double[] row : w) {
            for (int label = 0; label < 21; label++) {
                row[label] = r.nextInt(5) * 0.5;
            }
        }
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, l[0], c[0]);
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, l[1], c[1]);
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, l[2], c[2]);
        int[] three = ints(new PlaneVote(3).fuse(new WeightedVote(w), ax, co, sa, l[3]).labels());
        for (int i = 0; i < n; i++) {
            int[] labels = new int[4];
            int[] conf = {0, 0, 0, 255};
            for (int m = 0; m < 4; m++) {
                labels[m] = (int) l[m].voxels().get(i);
                conf[m] = m < 3 ? (int) c[m].voxels().get(i) : 255;
            }
            assertEquals(expectedWeighted(w, labels, conf), three[i], "voxel " + i);
        }
    }

    @Test
    void atlasLabelsOnAnotherGridOrOutOfRangeAreRefused() {
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8, 1), uint8(ROW8, 1));
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, uint8(ROW8, 1), uint8(ROW8, 1));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(ROW8, 1), uint8(ROW8, 1));
        Geometry other = Geometry.axisAligned(4, 2, 1, new double[] {0.5, 0.5, 1.25}, new double[] {0, 2, -60});
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class,
                () -> new PlaneVote(1).fuse(FusionMethod.MAJORITY, ax, co, sa, uint8(other, 1)));
        assertTrue(grid.getMessage().startsWith("atlas labels' grid"), grid.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new PlaneVote(1).fuse(FusionMethod.MAJORITY, ax, co, sa, uint8(ROW8, 0, 21)));
        assertEquals("atlas prediction: label 21 at voxel 1 is outside 0..20", range.getMessage());
    }

    /** A plain restatement of both rules: tally votes and weights per label, then pick. */
    private static int expected(FusionMethod m, int[] labels, int[] conf) {
        int[] votes = new int[256];
        int[] weight = new int[256];
        for (int p = 0; p < 3; p++) {
            votes[labels[p]]++;
            weight[labels[p]] += conf[p];
        }
        if (m == FusionMethod.MAJORITY) {
            for (int p = 0; p < 3; p++) {
                if (votes[labels[p]] >= 2) {
                    return labels[p];
                }
            }
            return 0;
        }
        int best = labels[0];
        for (int p = 1; p < 3; p++) {
            int c = labels[p];
            if (weight[c] > weight[best] || (weight[c] == weight[best] && votes[c] > votes[best])) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void manyBlocksOnSeveralThreadsMatchTheRules() {
        Geometry g = Geometry.axisAligned(70, 50, 40, new double[] {1, 1, 2}, new double[3]);
        int n = (int) g.voxelCount();
        SplittableRandom r = new SplittableRandom(11);
        Volume[] lab = new Volume[3];
        Volume[] conf = new Volume[3];
        for (int p = 0; p < 3; p++) {
            lab[p] = Volume.allocate(g, DataType.UINT8);
            conf[p] = Volume.allocate(g, DataType.UINT8);
            for (int i = 0; i < n; i++) {
                // why: few labels and coarse confidences make agreements and weight ties common
                lab[p].voxels().set(i, r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(3));
                conf[p].voxels().set(i, 50 * r.nextInt(6));
            }
        }
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, lab[0], conf[0]);
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, lab[1], conf[1]);
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, lab[2], conf[2]);
        for (FusionMethod m : List.of(FusionMethod.MAJORITY, FusionMethod.CONFIDENCE)) {
            int[] one = ints(new PlaneVote(1).fuse(m, ax, co, sa).labels());
            int[] three = ints(new PlaneVote(3).fuse(m, ax, co, sa).labels());
            assertArrayEquals(one, three, m.wireName());
            for (int i = 0; i < n; i++) {
                int[] l = {(int) lab[0].voxels().get(i), (int) lab[1].voxels().get(i), (int) lab[2].voxels().get(i)};
                int[] c = {(int) conf[0].voxels().get(i), (int) conf[1].voxels().get(i), (int) conf[2].voxels().get(i)};
                assertEquals(expected(m, l, c), one[i], m.wireName() + " voxel " + i);
            }
        }
    }

    @Test
    void mismatchedGridsNameThePlane() {
        Geometry shifted = Geometry.axisAligned(4, 2, 1, new double[] {0.5, 0.5, 1.25}, new double[] {-1, 2.5, -60});
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8), uint8(ROW8));
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, uint8(ROW8), uint8(ROW8));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(shifted), uint8(shifted));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlaneVote(2).fuse(FusionMethod.MAJORITY, ax, co, sa));
        assertTrue(e.getMessage().startsWith("sagittal prediction grid"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new PlanePrediction(Plane.CORONAL, uint8(ROW8), uint8(shifted)));
        assertTrue(e.getMessage().startsWith("coronal prediction: confidence grid"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> new PlanePrediction(Plane.AXIAL, Volume.allocate(ROW8, DataType.INT16), uint8(ROW8)));
        assertTrue(e.getMessage().contains("axial") && e.getMessage().contains("int16"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new PlaneVote(1).fuse(FusionMethod.MAJORITY, co, ax, sa));
        assertTrue(e.getMessage().contains("coronal prediction was passed as the axial"), e.getMessage());
    }

    @Test
    void labelOutsideRangeNamesPlaneAndVoxel() {
        PlanePrediction ax = new PlanePrediction(Plane.AXIAL, uint8(ROW8), uint8(ROW8));
        PlanePrediction co = new PlanePrediction(Plane.CORONAL, uint8(ROW8, 0, 0, 0, 21), uint8(ROW8));
        PlanePrediction sa = new PlanePrediction(Plane.SAGITTAL, uint8(ROW8), uint8(ROW8));
        for (FusionMethod m : List.of(FusionMethod.MAJORITY, FusionMethod.CONFIDENCE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PlaneVote(1).fuse(m, ax, co, sa));
            assertEquals("coronal prediction: label 21 at voxel 3 is outside 0..20", e.getMessage());
        }
    }
}
