package org.triplane.fusion.service;

import org.triplane.imaging.fusion.FusedLabels;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.volume.Volume;

/**
 * The vote a job asks for: its fusion method, whether the atlas method votes as a fourth member,
 * and for the learned vote the weights recorded with its model set (the atlas method is always one
 * of its members).
 *
 * @param method     the job's {@code fusion} parameter
 * @param atlasVoter its {@code fusionAtlasVoter} parameter; not read by the learned vote
 * @param weights    the model set's fusion weights for {@link FusionMethod#LEARNED}, else {@code null}
 */
record FusionRule(FusionMethod method, boolean atlasVoter, WeightedVote weights) {

    FusionRule {
        if ((method == FusionMethod.LEARNED) != (weights != null)) {
            throw new IllegalArgumentException("weights: given exactly for the learned vote, got " + method
                    + (weights == null ? " without" : " with") + " weights");
        }
    }

    /**
     * The rule as results record it: {@code majority} or {@code confidence}, with {@code +atlas} when
     * the atlas voted, or {@code learned}.
     */
    String name() {
        return method.wireName() + (atlasVoter && method != FusionMethod.LEARNED ? "+atlas" : "");
    }

    /**
     * @param atlas the atlas method's labels on the predictions' grid
     * @throws IllegalArgumentException when grids differ or a label is outside 0..20
     */
    FusedLabels vote(PlaneVote vote, PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal, Volume atlas) {
        if (method == FusionMethod.LEARNED) {
            return vote.fuse(weights, axial, coronal, sagittal, atlas);
        }
        return atlasVoter ? vote.fuse(method, axial, coronal, sagittal, atlas) : vote.fuse(method, axial, coronal, sagittal);
    }
}
