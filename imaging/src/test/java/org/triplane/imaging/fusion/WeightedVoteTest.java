package org.triplane.imaging.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class WeightedVoteTest {
    private static final Geometry GRID = Geometry.axisAligned(20, 20, 20, new double[] {1, 1, 1}, new double[3]);

    @Test
    void equalWeightsAreAConfidenceVoteWithTheAtlasAlwaysFullyConfident() {
        WeightedVote vote = WeightedVote.equal();
        // three planes agreeing at 100 each (300) outweigh the atlas (255) ...
        assertEquals(5, vote.decide(new int[] {5, 5, 5, 6}, new int[] {100, 100, 100, 255}));
        // ... at 80 each (240) they do not
        assertEquals(6, vote.decide(new int[] {5, 5, 5, 6}, new int[] {80, 80, 80, 255}));
        // one plane and the atlas (200 + 255) against two planes (2 × 220)
        assertEquals(7, vote.decide(new int[] {7, 3, 3, 7}, new int[] {200, 220, 220, 255}));
        // equal sums: the earlier member's label
        assertEquals(2, vote.decide(new int[] {2, 4, 0, 0}, new int[] {100, 100, 0, 0}));
    }

    @Test
    void fittedWeightsTrustEachMemberWhereItIsRightAndBeatEveryMember() {
        Random random = new Random(3);
        byte[] truth = new byte[GRID.nx() * GRID.ny() * GRID.nz()];
        for (int v = 0; v < truth.length; v++) {
            truth[v] = (byte) (1 + random.nextInt(4));
        }
        // the networks call half of the label-1 voxels 2; the atlas calls half of the label-3 voxels 4
        byte[] network = truth.clone();
        byte[] atlas = truth.clone();
        for (int v = 0; v < truth.length; v++) {
            if (truth[v] == 1 && v % 2 == 0) {
                network[v] = 2;
            }
            if (truth[v] == 3 && v % 2 == 1) {
                atlas[v] = 4;
            }
        }
        WeightedVoteFit.Scan scan = new WeightedVoteFit.Scan(prediction(Plane.AXIAL, network), prediction(Plane.CORONAL, network),
                prediction(Plane.SAGITTAL, network), volume(atlas), volume(truth));
        WeightedVoteFit.Result fit = WeightedVoteFit.fit(List.of(scan), 3);

        Volume fused = fit.vote().fuse(scan.axial(), scan.coronal(), scan.sagittal(), scan.atlas()).labels();
        double fusedIoU = new ConfusionMatrix().add(truth, bytes(fused)).meanIoU();
        assertEquals(1.0, fusedIoU, 1e-12);
        assertEquals(fusedIoU, fit.meanIoU(), 1e-12);
        double networkIoU = new ConfusionMatrix().add(truth, network).meanIoU();
        double atlasIoU = new ConfusionMatrix().add(truth, atlas).meanIoU();
        assertEquals(networkIoU, fit.memberMeanIoU()[0], 1e-12);
        assertEquals(atlasIoU, fit.memberMeanIoU()[3], 1e-12);
        assertTrue(networkIoU < 0.95 && atlasIoU < 0.95, networkIoU + " / " + atlasIoU);
        // equal weights: the three agreeing networks always outvote the atlas, so the networks' error stays
        assertEquals(networkIoU, fit.equalWeightsMeanIoU(), 1e-12);
        assertEquals(1, fit.scans());
        assertTrue(fit.vote().toJson().startsWith("{\"members\":[\"axial\",\"coronal\",\"sagittal\",\"atlas\"],\"weights\":[["));
    }

    @Test
    void theFitStartsFromTheBestMemberWhereEqualWeightsAreWorse() {
        Random random = new Random(5);
        byte[] truth = new byte[GRID.nx() * GRID.ny() * GRID.nz()];
        for (int v = 0; v < truth.length; v++) {
            truth[v] = (byte) random.nextInt(21);
        }
        // three networks agreeing on the same wrong label in 40 % of the voxels; the atlas always right
        byte[] network = truth.clone();
        for (int v = 0; v < truth.length; v++) {
            if (random.nextDouble() < 0.4) {
                network[v] = (byte) ((truth[v] + 1) % 21);
            }
        }
        WeightedVoteFit.Scan scan = new WeightedVoteFit.Scan(prediction(Plane.AXIAL, network), prediction(Plane.CORONAL, network),
                prediction(Plane.SAGITTAL, network), volume(truth), volume(truth));
        // no pass: only the start is chosen
        WeightedVoteFit.Result start = WeightedVoteFit.fit(List.of(scan), 0);

        assertTrue(start.equalWeightsMeanIoU() < 0.7, "equal weights " + start.equalWeightsMeanIoU());
        assertEquals(1.0, start.bestMemberMeanIoU(), 1e-12);
        assertEquals(1.0, start.meanIoU(), 1e-12);
        Volume fused = start.vote().fuse(scan.axial(), scan.coronal(), scan.sagittal(), scan.atlas()).labels();
        assertArrayEquals(truth, bytes(fused));
    }

    @Test
    void scansAddedOneAtATimeFitAsTheWholeList() {
        Random random = new Random(9);
        List<WeightedVoteFit.Scan> scans = new java.util.ArrayList<>();
        for (int s = 0; s < 2; s++) {
            byte[] truth = new byte[GRID.nx() * GRID.ny() * GRID.nz()];
            byte[][] members = new byte[4][truth.length];
            for (int v = 0; v < truth.length; v++) {
                truth[v] = (byte) random.nextInt(5);
                for (int m = 0; m < 4; m++) {
                    members[m][v] = random.nextDouble() < 0.2 + 0.1 * m ? (byte) random.nextInt(5) : truth[v];
                }
            }
            scans.add(new WeightedVoteFit.Scan(prediction(Plane.AXIAL, members[0]), prediction(Plane.CORONAL, members[1]),
                    prediction(Plane.SAGITTAL, members[2]), volume(members[3]), volume(truth)));
        }
        WeightedVoteFit.Result whole = WeightedVoteFit.fit(scans, 2);
        WeightedVoteFit.Result added = new WeightedVoteFit().add(scans.get(0)).add(scans.get(1)).fit(2);

        assertArrayEquals(whole.vote().memberMajor(), added.vote().memberMajor());
        assertEquals(whole.meanIoU(), added.meanIoU());
        assertEquals(whole.equalWeightsMeanIoU(), added.equalWeightsMeanIoU());
        assertArrayEquals(whole.memberMeanIoU(), added.memberMeanIoU());
        assertEquals(2, added.scans());
        assertTrue(added.meanIoU() >= added.bestMemberMeanIoU() && added.meanIoU() >= added.equalWeightsMeanIoU(),
                added.meanIoU() + " against members " + Arrays.toString(added.memberMeanIoU()));
    }

    @Test
    void weightsRoundTripMemberMajor() {
        double[][] w = new double[4][21];
        for (int m = 0; m < 4; m++) {
            for (int label = 0; label < 21; label++) {
                w[m][label] = m * 100 + label;
            }
        }
        double[] flat = new WeightedVote(w).memberMajor();
        assertEquals(84, flat.length);
        assertEquals(0, flat[0]);
        assertEquals(20, flat[20]);
        assertEquals(100, flat[21]);
        assertEquals(320, flat[83]);
        assertTrue(Arrays.deepEquals(w, WeightedVote.of(flat).weights()));
    }

    @Test
    void refusesWeightsOfTheWrongShapeOrSign() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedVote(new double[3][21]));
        double[][] negative = WeightedVote.equal().weights();
        negative[1][4] = -1;
        IllegalArgumentException sign = assertThrows(IllegalArgumentException.class, () -> new WeightedVote(negative));
        assertTrue(sign.getMessage().contains("coronal"), sign.getMessage());
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            double[] flat = WeightedVote.equal().memberMajor();
            flat[70] = bad;
            assertThrows(IllegalArgumentException.class, () -> WeightedVote.of(flat));
        }
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> WeightedVote.of(new double[83]));
        assertTrue(size.getMessage().contains("84 weights") && size.getMessage().contains("got 83"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WeightedVoteFit.fit(List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new WeightedVoteFit().fit(1));
    }

    private static PlanePrediction prediction(Plane plane, byte[] labels) {
        byte[] confidence = new byte[labels.length];
        Arrays.fill(confidence, (byte) 200);
        return new PlanePrediction(plane, volume(labels), volume(confidence));
    }

    private static Volume volume(byte[] data) {
        Volume v = Volume.allocate(GRID, DataType.UINT8);
        System.arraycopy(data, 0, bytes(v), 0, data.length);
        return v;
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }
}
