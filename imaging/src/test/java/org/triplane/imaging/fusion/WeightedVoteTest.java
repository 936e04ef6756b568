package org.triplane.imaging.fusion;

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

        Volume fused = fit.vote().fuse(scan.axial(), scan.coronal(), scan.sagittal(), scan.atlas());
        double fusedIoU = new ConfusionMatrix().add(truth, bytes(fused)).meanIoU();
        assertEquals(1.0, fusedIoU, 1e-12);
        assertEquals(fusedIoU, fit.meanIoU(), 1e-12);
        double networkIoU = new ConfusionMatrix().add(truth, network).meanIoU();
        double atlasIoU = new ConfusionMatrix().add(truth, atlas).meanIoU();
        assertEquals(networkIoU, fit.memberMeanIoU()[0], 1e-12);
        assertEquals(atlasIoU, fit.memberMeanIoU()[3], 1e-12);
        assertTrue(networkIoU < 0.95 && atlasIoU < 0.95, networkIoU + " / " + atlasIoU);
        // equal weights: the three agreeing networks always outvote the atlas, so the networks' error stays
        assertEquals(networkIoU, fit.startMeanIoU(), 1e-12);
        assertTrue(fit.vote().toJson().startsWith("{\"members\":[\"axial\",\"coronal\",\"sagittal\",\"atlas\"],\"weights\":[["));
    }

    @Test
    void refusesWeightsOfTheWrongShapeOrSign() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedVote(new double[3][21]));
        double[][] negative = WeightedVote.equal().weights();
        negative[1][4] = -1;
        assertThrows(IllegalArgumentException.class, () -> new WeightedVote(negative));
        assertThrows(IllegalArgumentException.class, () -> WeightedVoteFit.fit(List.of(), 1));
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
