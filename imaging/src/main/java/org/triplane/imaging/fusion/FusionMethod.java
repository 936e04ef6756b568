package org.triplane.imaging.fusion;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How three per-plane label predictions (axial, coronal, sagittal) become one label per voxel.
 * Each method decides every voxel from that voxel's three (label, confidence) pairs alone, and the
 * atlas method's label when it votes.
 */
public enum FusionMethod {
    /**
     * The study's vote: a label wins when at least two of the three planes predict it (background
     * included: two planes saying 0 give 0); when all three disagree the voxel is background 0.
     * Confidences are ignored.
     */
    MAJORITY("majority"),

    /**
     * Confidence-weighted vote: each plane votes for its label with weight = its confidence
     * (0..255); the label with the largest summed weight wins, background taking part like any
     * other label. Ties in summed weight go to the label more planes voted for, then to the label
     * of the first plane in the order axial, coronal, sagittal that voted for a tied label (axial
     * first because the study's axial network was its most accurate single plane). Never falls back to background when the planes disagree: the most trusted label wins.
     */
    CONFIDENCE("confidence"),

    /**
     * A {@link WeightedVote} of four members, the three planes and the atlas method, with one weight
     * per member and label fitted on labelled validation scans ({@link WeightedVoteFit}) and recorded
     * with the model set. It needs those weights: {@link PlaneVote#fuse(WeightedVote, PlanePrediction,
     * PlanePrediction, PlanePrediction, org.triplane.imaging.volume.Volume)}. The atlas method is
     * always a member; its weights decide how much it counts.
     */
    LEARNED("learned");

    /** The job parameter that names the method, e.g. {@code {"fusion": "learned"}}. */
    public static final String PARAMETER = "fusion";

    /**
     * The job parameter that lets the atlas method vote beside the three planes, e.g.
     * {@code {"fusionAtlasVoter": true}}; the learned vote always has it as a member.
     */
    public static final String ATLAS_VOTER_PARAMETER = "fusionAtlasVoter";

    private final String wireName;

    FusionMethod(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Whether the rule's winner depends on the planes' confidence. why: the majority vote decides by
     * labels alone, so a fusion by it reads no confidence volume (three fewer downloads per scan)
     * and leaves {@link FusedLabels#support()} unset.
     */
    public boolean weighsConfidence() {
        return this != MAJORITY;
    }

    /** The name used in job parameters, events and the database, e.g. {@code majority}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The method named {@code name} (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static FusionMethod parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (FusionMethod m : values()) {
                if (m.wireName.equals(n)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("unknown fusion method " + (name == null ? "null" : "'" + name + "'")
                + " (expected one of: " + names() + ")");
    }

    /** The wire names in declaration order, for messages: {@code majority, confidence, learned}. */
    public static String names() {
        return Arrays.stream(values()).map(FusionMethod::wireName).collect(Collectors.joining(", "));
    }
}
