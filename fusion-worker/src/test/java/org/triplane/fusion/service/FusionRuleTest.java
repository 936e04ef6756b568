package org.triplane.fusion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.fusion.FusedLabels;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

class FusionRuleTest {
    private static final Geometry ONE = Geometry.axisAligned(1, 1, 1, new double[] {1, 1, 1}, new double[3]);

    private static Volume voxel(int value) {
        return new Volume(ONE, new VoxelBuffer.UInt8(new byte[] {(byte) value}));
    }

    @Test
    void theRecordedNameSaysWhoVoted() {
        assertThat(new FusionRule(FusionMethod.MAJORITY, false, null).name()).isEqualTo("majority");
        assertThat(new FusionRule(FusionMethod.CONFIDENCE, true, null).name()).isEqualTo("confidence+atlas");
        // the atlas is always a member of the learned vote; fusionAtlasVoter does not rename it
        assertThat(new FusionRule(FusionMethod.LEARNED, true, WeightedVote.equal()).name()).isEqualTo("learned");
        assertThat(new FusionRule(FusionMethod.LEARNED, false, WeightedVote.equal()).name()).isEqualTo("learned");
    }

    @Test
    void weightsComeExactlyWithTheLearnedVote() {
        assertThatThrownBy(() -> new FusionRule(FusionMethod.LEARNED, false, null)).hasMessageStartingWith("weights:");
        assertThatThrownBy(() -> new FusionRule(FusionMethod.MAJORITY, false, WeightedVote.equal()))
                .hasMessageStartingWith("weights:");
    }

    @Test
    void eachRuleVotesItsWay() {
        // axial 4 (confidence 100), coronal 4 (100), sagittal 6 (250), atlas 6
        PlanePrediction axial = new PlanePrediction(Plane.AXIAL, voxel(4), voxel(100));
        PlanePrediction coronal = new PlanePrediction(Plane.CORONAL, voxel(4), voxel(100));
        PlanePrediction sagittal = new PlanePrediction(Plane.SAGITTAL, voxel(6), voxel(250));
        Volume atlas = voxel(6);
        PlaneVote vote = new PlaneVote(1);
        double[][] w = WeightedVote.equal().weights();
        w[0][4] = 5; // the axial network's 4 counts five times: 500 + 100 against 250 + 255

        assertThat(label(new FusionRule(FusionMethod.MAJORITY, false, null).vote(vote, axial, coronal, sagittal, atlas))).isEqualTo(4);
        assertThat(label(new FusionRule(FusionMethod.CONFIDENCE, false, null).vote(vote, axial, coronal, sagittal, atlas)))
                .isEqualTo(6);
        // four voters 2–2: no leading label
        assertThat(label(new FusionRule(FusionMethod.MAJORITY, true, null).vote(vote, axial, coronal, sagittal, atlas))).isZero();
        assertThat(label(new FusionRule(FusionMethod.CONFIDENCE, true, null).vote(vote, axial, coronal, sagittal, atlas)))
                .isEqualTo(6);
        FusedLabels learned = new FusionRule(FusionMethod.LEARNED, false, new WeightedVote(w))
                .vote(vote, axial, coronal, sagittal, atlas);
        assertThat(learned.method()).isEqualTo(FusionMethod.LEARNED);
        assertThat(label(learned)).isEqualTo(4);
    }

    private static int label(FusedLabels f) {
        return ((VoxelBuffer.UInt8) f.labels().voxels()).data[0] & 0xFF;
    }
}
