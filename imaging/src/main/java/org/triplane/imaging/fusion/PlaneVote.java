package org.triplane.imaging.fusion;

import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Fuses the axial, coronal and sagittal predictions of one scan voxel by voxel (see
 * {@link FusionMethod} for the rules). All volumes are uint8 on one grid (the scan's rotated grid,
 * x fastest, LPS mm); the result is on that same grid. Each voxel depends only on its own three
 * predictions, so the result is identical whatever the thread count.
 *
 * <p>With the atlas method as a fourth voter ({@link #fuse(FusionMethod, PlanePrediction,
 * PlanePrediction, PlanePrediction, Volume)}) the atlas votes for its label with confidence 255 and
 * the rules extend to four: majority: the label more voters chose than any other wins (3 or 4 of
 * 4, or 2 against two single votes); a 2–2 tie or four different labels give background 0, as
 * the study's rule does when no label leads. Confidence: the largest summed confidence wins, ties to
 * the member order axial, coronal, sagittal, atlas ({@link WeightedVote#equal()}). The learned vote
 * ({@link #fuse(WeightedVote, PlanePrediction, PlanePrediction, PlanePrediction, Volume)}) is the
 * same four-member vote with fitted weights per member and label.
 */
public final class PlaneVote {
    /** Voxels per unit of work handed to a thread. */
    private static final int BLOCK = 1 << 16;
    private static final int MAX_LABEL = AspectsRegion.COUNT;
    /** Voter names for messages, in vote order. */
    private static final String[] VOTERS = WeightedVote.MEMBERS;
    /** The confidence vote of four: every weight 1. */
    private static final WeightedVote EQUAL = WeightedVote.equal();

    private final int threads;

    /** @param threads worker threads (≥ 1); the calling thread waits. */
    public PlaneVote(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
    }

    /**
     * @throws IllegalArgumentException when a prediction is passed in another plane's place, when
     *                                  the grids differ (naming the plane), or when a label is outside 0..20 (naming plane and voxel)
     */
    public FusedLabels fuse(FusionMethod method, PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal) {
        checkVoters(method, axial, coronal, sagittal);
        refuseLearned(method);
        Volume labels = Volume.allocate(axial.labels().geometry(), DataType.UINT8);
        Volume support = withConfidence(axial, coronal, sagittal) ? Volume.allocate(axial.labels().geometry(), DataType.UINT8)
                : null;
        VoxelArrays in = new VoxelArrays(bytes(axial.labels()), bytes(coronal.labels()), bytes(sagittal.labels()),
                bytes(axial.confidence()), bytes(coronal.confidence()), bytes(sagittal.confidence()),
                bytes(labels), bytes(support));
        int n = in.out.length;
        AtomicInteger next = new AtomicInteger();
        boolean majority = method == FusionMethod.MAJORITY;
        Workers.run(Math.min(threads, n / BLOCK + 1), "plane-vote", () -> {
            for (int from = next.getAndAdd(BLOCK); from < n; from = next.getAndAdd(BLOCK)) {
                int to = Math.min(n, from + BLOCK);
                if (majority) {
                    majority(in, from, to);
                } else {
                    confidence(in, from, to);
                }
            }
        });
        return new FusedLabels(method, labels, support);
    }

    /**
     * The vote with the atlas method as a fourth voter (confidence 255 everywhere); see the class
     * comment for the rules. {@link FusedLabels#support()} is then {@code round(S / 4)}.
     *
     * @param method {@link FusionMethod#MAJORITY} or {@link FusionMethod#CONFIDENCE}
     * @param atlas  the atlas method's labels (uint8 0..20) on the predictions' grid
     * @throws IllegalArgumentException as {@link #fuse(FusionMethod, PlanePrediction, PlanePrediction,
     *                                  PlanePrediction)}, and when the atlas labels are on another grid,
     *                                  not uint8 or outside 0..20
     */
    public FusedLabels fuse(FusionMethod method, PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal,
                            Volume atlas) {
        checkVoters(method, axial, coronal, sagittal);
        refuseLearned(method);
        return fourVoters(method, method == FusionMethod.MAJORITY ? (label, weight) -> plurality(label) : EQUAL::decide,
                axial, coronal, sagittal, atlas);
    }

    /**
     * The learned vote ({@link FusionMethod#LEARNED}): the three planes and the atlas method
     * (confidence 255) weighted per member and label by {@code weights} ({@link WeightedVote#decide}).
     * {@link FusedLabels#support()} is {@code round(S / 4)}, S the summed confidence of the members
     * that chose the winning label, whatever their weights.
     *
     * @param atlas the atlas method's labels (uint8 0..20) on the predictions' grid
     * @throws IllegalArgumentException as {@link #fuse(FusionMethod, PlanePrediction, PlanePrediction,
     *                                  PlanePrediction, Volume)}
     */
    public FusedLabels fuse(WeightedVote weights, PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal,
                            Volume atlas) {
        if (weights == null) {
            throw new IllegalArgumentException("the learned vote needs its weights");
        }
        checkVoters(FusionMethod.LEARNED, axial, coronal, sagittal);
        return fourVoters(FusionMethod.LEARNED, weights::decide, axial, coronal, sagittal, atlas);
    }

    /** How one voxel's winner is chosen from its four labels and weights; −1 for none (background, no support). */
    @FunctionalInterface
    private interface Winner {
        int of(int[] label, int[] weight);
    }

    private FusedLabels fourVoters(FusionMethod method, Winner winner, PlanePrediction axial, PlanePrediction coronal,
                                   PlanePrediction sagittal, Volume atlas) {
        if (atlas == null || atlas.type() != DataType.UINT8) {
            throw new IllegalArgumentException("atlas labels must be a uint8 volume, got "
                    + (atlas == null ? "none" : atlas.type().label()));
        }
        if (!atlas.geometry().sameGrid(axial.labels().geometry(), PlanePrediction.GRID_TOLERANCE)) {
            throw new IllegalArgumentException("atlas labels' grid " + atlas.geometry()
                    + " differs from the axial prediction grid " + axial.labels().geometry());
        }
        Volume labels = Volume.allocate(axial.labels().geometry(), DataType.UINT8);
        boolean weighed = withConfidence(axial, coronal, sagittal);
        Volume support = weighed ? Volume.allocate(axial.labels().geometry(), DataType.UINT8) : null;
        byte[][] l = {bytes(axial.labels()), bytes(coronal.labels()), bytes(sagittal.labels()), bytes(atlas)};
        byte[][] c = {bytes(axial.confidence()), bytes(coronal.confidence()), bytes(sagittal.confidence())};
        byte[] out = bytes(labels);
        byte[] sup = bytes(support);
        int n = out.length;
        AtomicInteger next = new AtomicInteger();
        Workers.run(Math.min(threads, n / BLOCK + 1), "plane-vote", () -> {
            int[] label = new int[4];
            int[] weight = new int[4];
            for (int from = next.getAndAdd(BLOCK); from < n; from = next.getAndAdd(BLOCK)) {
                int to = Math.min(n, from + BLOCK);
                for (int v = from; v < to; v++) {
                    for (int m = 0; m < 4; m++) {
                        label[m] = l[m][v] & 0xFF;
                        weight[m] = m == 3 ? WeightedVote.ATLAS_CONFIDENCE : weighed ? c[m][v] & 0xFF : 0;
                        if (label[m] > MAX_LABEL) {
                            throw new IllegalArgumentException(VOTERS[m] + " prediction: label " + label[m] + " at voxel " + v
                                    + " is outside 0..20");
                        }
                    }
                    int win = winner.of(label, weight);
                    out[v] = (byte) Math.max(win, 0);
                    if (sup != null) {
                        int sum = 0;
                        for (int m = 0; m < 4; m++) {
                            sum += win >= 0 && label[m] == win ? weight[m] : 0;
                        }
                        sup[v] = (byte) ((sum + 2) / 4);
                    }
                }
            }
        });
        return new FusedLabels(method, labels, support);
    }

    /** The label more of the four voters chose than any other, or −1 when none leads (background then, no support). */
    private static int plurality(int[] label) {
        int best = -1;
        int bestVotes = 0;
        boolean tied = false;
        for (int m = 0; m < label.length; m++) {
            int votes = 0;
            for (int k = 0; k < label.length; k++) {
                votes += label[k] == label[m] ? 1 : 0;
            }
            if (votes > bestVotes) {
                best = label[m];
                bestVotes = votes;
                tied = false;
            } else if (votes == bestVotes && label[m] != best) {
                tied = true;
            }
        }
        return tied ? -1 : best;
    }

    /** The eight voxel arrays one vote reads and writes. */
    private record VoxelArrays(byte[] la, byte[] lc, byte[] ls, byte[] ca, byte[] cc, byte[] cs, byte[] out, byte[] support) {
    }

    private static void majority(VoxelArrays a, int from, int to) {
        for (int v = from; v < to; v++) {
            int x = a.la[v] & 0xFF;
            int y = a.lc[v] & 0xFF;
            int z = a.ls[v] & 0xFF;
            check(x, y, z, v);
            boolean agreed = x == y || x == z || y == z;
            // why: when all three differ the study's rule gives background, supported by no plane
            int label = !agreed ? 0 : x == y || x == z ? x : y;
            a.out[v] = (byte) label;
            if (a.support != null) {
                int sum = !agreed ? 0 : (x == label ? a.ca[v] & 0xFF : 0) + (y == label ? a.cc[v] & 0xFF : 0)
                        + (z == label ? a.cs[v] & 0xFF : 0);
                a.support[v] = (byte) third(sum);
            }
        }
    }

    private static void confidence(VoxelArrays a, int from, int to) {
        for (int v = from; v < to; v++) {
            int x = a.la[v] & 0xFF;
            int y = a.lc[v] & 0xFF;
            int z = a.ls[v] & 0xFF;
            check(x, y, z, v);
            int wx = a.ca[v] & 0xFF;
            int wy = a.cc[v] & 0xFF;
            int wz = a.cs[v] & 0xFF;
            int label;
            int sum;
            if (x == y && y == z) {
                label = x;
                sum = wx + wy + wz;
            } else if (x == y || x == z || y == z) {
                // two planes agree against one; on equal weight the pair wins (more votes)
                int pair = x == y ? x : (x == z ? x : y);
                int pairWeight = x == y ? wx + wy : (x == z ? wx + wz : wy + wz);
                int lone = x == y ? z : (x == z ? y : x);
                int loneWeight = x == y ? wz : (x == z ? wy : wx);
                if (pairWeight >= loneWeight) {
                    label = pair;
                    sum = pairWeight;
                } else {
                    label = lone;
                    sum = loneWeight;
                }
            } else if (wx >= wy && wx >= wz) {
                // three different labels, one vote each: ties go to axial, then coronal
                label = x;
                sum = wx;
            } else if (wy >= wz) {
                label = y;
                sum = wy;
            } else {
                label = z;
                sum = wz;
            }
            a.out[v] = (byte) label;
            a.support[v] = (byte) third(sum);
        }
    }

    /** {@code round(sum / 3)}; a third never ends in exactly one half. */
    private static int third(int sum) {
        return (sum + 1) / 3;
    }

    private static void check(int x, int y, int z, int voxel) {
        if (x > MAX_LABEL || y > MAX_LABEL || z > MAX_LABEL) {
            Plane p = x > MAX_LABEL ? Plane.AXIAL : (y > MAX_LABEL ? Plane.CORONAL : Plane.SAGITTAL);
            int label = x > MAX_LABEL ? x : (y > MAX_LABEL ? y : z);
            throw new IllegalArgumentException(p.wireName() + " prediction: label " + label
                    + " at voxel " + voxel + " is outside 0..20");
        }
    }

    private static void expect(Plane plane, PlanePrediction p) {
        if (p == null) {
            throw new IllegalArgumentException(plane.wireName() + " prediction is missing");
        }
        if (p.plane() != plane) {
            throw new IllegalArgumentException("the " + p.plane().wireName() + " prediction was passed as the "
                    + plane.wireName() + " one");
        }
    }

    /** The voxels of a uint8 volume; null for none (a confidence not read). */
    private static byte[] bytes(Volume v) {
        return v == null ? null : ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    private static void refuseLearned(FusionMethod method) {
        if (method == FusionMethod.LEARNED) {
            throw new IllegalArgumentException("the learned vote needs its fitted weights and the atlas method's labels: "
                    + "fuse(WeightedVote, axial, coronal, sagittal, atlas)");
        }
    }

    /** Whether all three came with confidence (so support can be given). */
    private static boolean withConfidence(PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal) {
        return axial.hasConfidence() && coronal.hasConfidence() && sagittal.hasConfidence();
    }

    /**
     * The method is given, each prediction is its plane's, each carries confidence when the method
     * weighs it, and all lie on the axial prediction's grid.
     */
    private static void checkVoters(FusionMethod method, PlanePrediction axial, PlanePrediction coronal,
                                    PlanePrediction sagittal) {
        if (method == null) {
            throw new IllegalArgumentException("fusion method must not be null");
        }
        expect(Plane.AXIAL, axial);
        expect(Plane.CORONAL, coronal);
        expect(Plane.SAGITTAL, sagittal);
        if (method.weighsConfidence()) {
            for (PlanePrediction p : new PlanePrediction[] {axial, coronal, sagittal}) {
                if (!p.hasConfidence()) {
                    throw new IllegalArgumentException(p.plane().wireName() + " prediction: confidence volume is "
                            + "missing; the " + method.wireName() + " vote weighs it");
                }
            }
        }
        for (PlanePrediction other : new PlanePrediction[] {coronal, sagittal}) {
            if (!other.labels().geometry().sameGrid(axial.labels().geometry(), PlanePrediction.GRID_TOLERANCE)) {
                throw new IllegalArgumentException(other.plane().wireName() + " prediction grid "
                        + other.labels().geometry() + " differs from the axial prediction grid " + axial.labels().geometry());
            }
        }
    }
}
