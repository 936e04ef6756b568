package org.triplane.imaging.fusion;

import java.util.Arrays;
import java.util.List;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Fits a {@link WeightedVote} on labelled validation scans: coordinate ascent on the mean IoU over the
 * regions ({@link ConfusionMatrix#meanIoU()}, the confusion pooled over the scans), trying each weight
 * scaled by a few factors in turn. The ascent starts from the best of equal weights and each member
 * alone (weight 1 for its labels, 0 for the others': its label wins wherever its confidence is above
 * 0, as a network's always is, at least 255/21), and never takes a step that scores less, so the
 * fitted vote scores at least what equal weights and the best single member score on these scans.
 * Voxels where all four members agree keep their label whatever the weights, so they are counted once
 * and only the others are voted again.
 *
 * <p>Scans are {@link #add added} one at a time and only their contested voxels are kept, so scans of
 * any number and size can be fitted on without holding their volumes together.
 */
public final class WeightedVoteFit {
    private static final double[] FACTORS = {0, 0.25, 0.5, 0.8, 1.25, 2, 4};
    private static final double MAX_WEIGHT = 16;
    private static final int MEMBERS = WeightedVote.MEMBERS.length;

    /**
     * One validation scan: the three plane predictions, the atlas method's labels and the truth, all
     * uint8 on one grid (the rotated grid, x fastest).
     */
    public record Scan(PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal, Volume atlas, Volume truth) {
    }

    /**
     * @param vote                the fitted weights
     * @param meanIoU             their mean IoU on the validation scans
     * @param equalWeightsMeanIoU equal weights' mean IoU there
     * @param memberMeanIoU       each member's own mean IoU there, in {@link WeightedVote#MEMBERS} order
     * @param scans               how many scans it was fitted on
     */
    public record Result(WeightedVote vote, double meanIoU, double equalWeightsMeanIoU, double[] memberMeanIoU, int scans) {
        public Result {
            memberMeanIoU = memberMeanIoU.clone();
        }

        @Override
        public double[] memberMeanIoU() {
            return memberMeanIoU.clone();
        }

        /** The highest of the members' own mean IoUs. */
        public double bestMemberMeanIoU() {
            return Arrays.stream(memberMeanIoU).max().orElseThrow();
        }
    }

    private final ConfusionMatrix agreed = new ConfusionMatrix();
    private final ConfusionMatrix[] members = new ConfusionMatrix[MEMBERS];
    /** Contested voxels: four labels each (member order), three confidences each, the truth. */
    private byte[] labels = new byte[4 * 1024];
    private byte[] confidences = new byte[3 * 1024];
    private byte[] truths = new byte[1024];
    private int contested;
    private int scans;

    /** An empty fit: {@link #add} its scans, then {@link #fit(int)}. */
    public WeightedVoteFit() {
        for (int m = 0; m < MEMBERS; m++) {
            members[m] = new ConfusionMatrix();
        }
    }

    /**
     * Counts one validation scan; its volumes are not kept.
     *
     * @return this
     * @throws IllegalArgumentException when its volumes hold different numbers of voxels or are not uint8
     */
    public WeightedVoteFit add(Scan s) {
        byte[][] l = {bytes(s.axial().labels()), bytes(s.coronal().labels()), bytes(s.sagittal().labels()), bytes(s.atlas())};
        byte[][] c = {bytes(s.axial().confidence()), bytes(s.coronal().confidence()), bytes(s.sagittal().confidence())};
        byte[] truth = bytes(s.truth());
        for (int m = 0; m < MEMBERS; m++) {
            if (l[m].length != truth.length) {
                throw new IllegalArgumentException("the " + WeightedVote.MEMBERS[m] + " labels of a validation scan hold "
                        + l[m].length + " voxels, its truth " + truth.length);
            }
        }
        for (int m = 0; m < MEMBERS; m++) {
            members[m].add(truth, l[m]);
        }
        byte[] one = new byte[1];
        for (int v = 0; v < truth.length; v++) {
            if (l[0][v] == l[1][v] && l[1][v] == l[2][v] && l[2][v] == l[3][v]) {
                one[0] = l[0][v];
                agreed.add(truth, v, one, 0, 1);
            } else {
                keep(l[0][v], l[1][v], l[2][v], l[3][v], c[0][v], c[1][v], c[2][v], truth[v]);
            }
        }
        scans++;
        return this;
    }

    /**
     * @param passes rounds over all weights (3 is usually enough)
     * @throws IllegalArgumentException for no scans or volumes of different sizes
     */
    public static Result fit(List<Scan> scans, int passes) {
        WeightedVoteFit fit = new WeightedVoteFit();
        scans.forEach(fit::add);
        return fit.fit(passes);
    }

    /**
     * @param passes rounds over all weights (3 is usually enough)
     * @throws IllegalArgumentException when no scan was added
     */
    public Result fit(int passes) {
        if (scans == 0) {
            throw new IllegalArgumentException("fitting fusion weights needs at least one validation scan");
        }
        double[] memberIoU = new double[MEMBERS];
        for (int m = 0; m < MEMBERS; m++) {
            memberIoU[m] = members[m].meanIoU();
        }
        double[][] w = WeightedVote.equal().weights();
        double equal = score(w);
        double best = equal;
        for (int m = 0; m < MEMBERS; m++) {
            double[][] alone = new double[MEMBERS][WeightedVote.LABELS];
            Arrays.fill(alone[m], 1);
            double score = score(alone);
            if (score > best + 1e-9) {
                best = score;
                w = alone;
            }
        }
        for (int pass = 0; pass < passes; pass++) {
            boolean improved = false;
            for (int m = 0; m < MEMBERS; m++) {
                for (int label = 0; label < WeightedVote.LABELS; label++) {
                    double current = w[m][label];
                    double chosen = current;
                    for (double factor : FACTORS) {
                        w[m][label] = Math.min(MAX_WEIGHT, current == 0 ? factor : current * factor);
                        double score = score(w);
                        if (score > best + 1e-9) {
                            best = score;
                            chosen = w[m][label];
                            improved = true;
                        }
                    }
                    w[m][label] = chosen;
                }
            }
            if (!improved) {
                break;
            }
        }
        return new Result(new WeightedVote(w), best, equal, memberIoU, scans);
    }

    private void keep(byte a, byte c, byte s, byte atlas, byte ca, byte cc, byte cs, byte truth) {
        if (contested == truths.length) {
            truths = Arrays.copyOf(truths, 2 * contested);
            labels = Arrays.copyOf(labels, 8 * contested);
            confidences = Arrays.copyOf(confidences, 6 * contested);
        }
        labels[4 * contested] = a;
        labels[4 * contested + 1] = c;
        labels[4 * contested + 2] = s;
        labels[4 * contested + 3] = atlas;
        confidences[3 * contested] = ca;
        confidences[3 * contested + 1] = cc;
        confidences[3 * contested + 2] = cs;
        truths[contested] = truth;
        contested++;
    }

    private double score(double[][] weights) {
        WeightedVote vote = new WeightedVote(weights);
        byte[] predicted = new byte[contested];
        int[] l = new int[MEMBERS];
        int[] c = new int[MEMBERS];
        c[MEMBERS - 1] = WeightedVote.ATLAS_CONFIDENCE;
        for (int v = 0; v < contested; v++) {
            for (int m = 0; m < MEMBERS; m++) {
                l[m] = labels[4 * v + m] & 0xFF;
            }
            for (int m = 0; m < 3; m++) {
                c[m] = confidences[3 * v + m] & 0xFF;
            }
            predicted[v] = (byte) vote.decide(l, c);
        }
        return new ConfusionMatrix().add(agreed).add(truths, 0, predicted, 0, contested).meanIoU();
    }

    private static byte[] bytes(Volume v) {
        if (!(v.voxels() instanceof VoxelBuffer.UInt8 u)) {
            throw new IllegalArgumentException("fusion reads uint8 volumes, got " + v.type().label());
        }
        return u.data;
    }
}
