package org.triplane.db.models;

/**
 * What recording fusion weights did ({@link ModelSetFusionWeights#record}).
 *
 * @param weights  the set's weights as stored now
 * @param recorded whether this call recorded them (false: the set had weights; compare with
 *                 {@link FusionWeights#sameFit})
 */
public record FusionWeightsRecording(FusionWeights weights, boolean recorded) {
}
