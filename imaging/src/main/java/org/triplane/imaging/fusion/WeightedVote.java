package org.triplane.imaging.fusion;

import java.util.Arrays;
import java.util.Locale;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.volume.Volume;

/**
 * A vote of four members — the axial, coronal and sagittal networks and the atlas method (the atlas
 * labels carried over by registration) — with one weight per member and label: at every voxel each
 * member votes for its label with weight {@code w[member][label] · confidence} (the atlas with
 * confidence 255), and the label with the largest sum wins; on equal sums the member order
 * axial, coronal, sagittal, atlas decides. Weights come from {@link WeightedVoteFit} on validation
 * scans and are recorded with the model set.
 *
 * <p>Volumes: uint8, x fastest, all on one grid (the scan's rotated grid, LPS mm).
 *
 * @param weights {@code weights[member][label]}, members in the order {@link #MEMBERS}, labels 0..20; ≥ 0
 */
public record WeightedVote(double[][] weights) {
    /** Members in weight order. */
    public static final String[] MEMBERS = {"axial", "coronal", "sagittal", "atlas"};
    /** Labels 0..20. */
    static final int LABELS = AspectsRegion.CLASSES_WITH_BACKGROUND;
    /** The atlas method's confidence in every voxel. */
    static final int ATLAS_CONFIDENCE = 255;

    public WeightedVote {
        if (weights == null || weights.length != MEMBERS.length) {
            throw new IllegalArgumentException("a weighted vote needs weights for the " + MEMBERS.length + " members "
                    + Arrays.toString(MEMBERS));
        }
        double[][] copy = new double[MEMBERS.length][];
        for (int m = 0; m < MEMBERS.length; m++) {
            if (weights[m] == null || weights[m].length != LABELS) {
                throw new IllegalArgumentException("member " + MEMBERS[m] + " needs " + LABELS + " weights (labels 0..20)");
            }
            for (double w : weights[m]) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("weights must be finite and >= 0; member " + MEMBERS[m] + " has " + w);
                }
            }
            copy[m] = weights[m].clone();
        }
        weights = copy;
    }

    /** Every weight 1: the confidence vote with the atlas as a fourth, always fully confident member. */
    public static WeightedVote equal() {
        double[][] w = new double[MEMBERS.length][LABELS];
        for (double[] row : w) {
            Arrays.fill(row, 1);
        }
        return new WeightedVote(w);
    }

    @Override
    public double[][] weights() {
        double[][] copy = new double[MEMBERS.length][];
        for (int m = 0; m < MEMBERS.length; m++) {
            copy[m] = weights[m].clone();
        }
        return copy;
    }

    /**
     * A vote whose weights are laid out member-major: {@code memberMajor[m · 21 + label]}, members in
     * {@link #MEMBERS} order, labels 0..20 (84 values), as {@link #memberMajor()} gives them.
     *
     * @throws IllegalArgumentException when there are not 84 values or one is negative or not finite
     */
    public static WeightedVote of(double[] memberMajor) {
        if (memberMajor == null || memberMajor.length != MEMBERS.length * LABELS) {
            throw new IllegalArgumentException("a weighted vote needs " + MEMBERS.length * LABELS + " weights ("
                    + MEMBERS.length + " members " + Arrays.toString(MEMBERS) + " × labels 0..20), got "
                    + (memberMajor == null ? "none" : memberMajor.length));
        }
        double[][] w = new double[MEMBERS.length][];
        for (int m = 0; m < MEMBERS.length; m++) {
            w[m] = Arrays.copyOfRange(memberMajor, m * LABELS, (m + 1) * LABELS);
        }
        return new WeightedVote(w);
    }

    /** The weights member-major, {@code [m · 21 + label]} (see {@link #of(double[])}). */
    public double[] memberMajor() {
        double[] out = new double[MEMBERS.length * LABELS];
        for (int m = 0; m < MEMBERS.length; m++) {
            System.arraycopy(weights[m], 0, out, m * LABELS, LABELS);
        }
        return out;
    }

    /**
     * The fused labels of one scan ({@link FusionMethod#LEARNED}), on one thread; see
     * {@link PlaneVote#fuse(WeightedVote, PlanePrediction, PlanePrediction, PlanePrediction, Volume)}.
     *
     * @param atlas the atlas method's labels on the predictions' grid
     * @throws IllegalArgumentException when a volume is on another grid or not uint8, or a label is outside 0..20
     */
    public FusedLabels fuse(PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal, Volume atlas) {
        return new PlaneVote(1).fuse(this, axial, coronal, sagittal, atlas);
    }

    /** The winning label of one voxel's four (label, confidence) pairs. */
    int decide(int[] labels, int[] confidence) {
        int best = labels[0];
        double bestSum = -1;
        for (int m = 0; m < labels.length; m++) {
            int label = labels[m];
            if (label >= LABELS) {
                throw new IllegalArgumentException(MEMBERS[m] + " label " + label + " is outside 0..20");
            }
            double sum = 0;
            for (int k = 0; k < labels.length; k++) {
                if (labels[k] == label) {
                    sum += weights[k][label] * confidence[k];
                }
            }
            // why strictly greater: on equal sums the earlier member's label stays
            if (sum > bestSum) {
                bestSum = sum;
                best = label;
            }
        }
        return best;
    }

    /**
     * {@code {"members":["axial",…],"weights":[[w00,…,w0_20],…]}}, each weight to 4 decimals: for a log
     * (the model registry records {@link #memberMajor()} exactly).
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"members\":[\"axial\",\"coronal\",\"sagittal\",\"atlas\"],\"weights\":[");
        for (int m = 0; m < MEMBERS.length; m++) {
            sb.append(m == 0 ? "[" : ",[");
            for (int label = 0; label < LABELS; label++) {
                sb.append(label == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", weights[m][label]));
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }
}
