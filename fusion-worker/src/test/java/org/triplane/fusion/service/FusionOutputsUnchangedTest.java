package org.triplane.fusion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.metrics.EvaluationSummary;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * What a fusion task computes, byte for byte as the implementation of commit 8a65889 computed it (the
 * SHA-256 sums below are that implementation's outputs, recorded before the work was made cheaper): for
 * each vote a job can ask for, the fused labels and support on the rotated grid, the fused labels on the
 * acquired grid, and the documents recorded from them (region statistics, the evaluation of the fused,
 * each plane's and the atlas method's labels, the summary) — on a phantom scan with the study's kind of
 * voxels (0.9 × 0.9 × 2.5 mm, rotated through its pose).
 *
 * <p>The three planes' predictions are the scan's labels with each plane's kind of error (scattered
 * wrong labels, a shift by a voxel, the other hemisphere's label in some regions), with confidences lower
 * where they are wrong; the atlas method's labels are shifted by a voxel the other way; the masks cut
 * off part of the predictions on each grid.
 *
 * <p>A changed sum means a changed output: find the change, and only if it is meant, record the new sums
 * with the reason in the commit.
 */
class FusionOutputsUnchangedTest {
    // the SHA-256 sums of commit 8a65889's outputs
    private static final String SCAN = "beb8be1b14d047ad69ab400dd260cc2bda8619fdcef2266f5a5f15fba4fe329b";
    private static final String MAJORITY = "8187913d263ff9367b7cde82de53a9268ae63f08f080f9961b68a3754fe9cbcf";
    private static final String MAJORITY_WITH_ATLAS = "bba51b1301a3ed797ee062019dc3c7578e117b797fd6a483df4be3a74750d458";
    private static final String CONFIDENCE = "0b2a5570a7e85bfa014d4bfe920e0979300b994d21a0def81194cbd00d8a54c6";
    private static final String CONFIDENCE_WITH_ATLAS = "99141affb02f8998d4c763ca2cab3551abf92b02dcafb2ef0cd3acf7f7d8623a";
    private static final String LEARNED = "ec338123fc8494157e2d539ab143acc0bbdd1e3211d22f4a48a5d6f5432b1c62";

    private static PhantomSubject subject;
    private static ScanFusion.Inputs inputs;

    @BeforeAll
    static void predictedPhantom() {
        subject = new PhantomGenerator(PhantomSpec.of(256, 256, 56, new double[] {0.9, 0.9, 2.5}, 8808L), 2).generate(1);
        Volume truth = subject.labels();
        Geometry g = truth.geometry();
        byte[] t = bytes(truth);
        byte[] scattered = t.clone();
        SplittableRandom random = new SplittableRandom(31);
        for (int v = 0; v < scattered.length; v++) {
            if (t[v] != 0 && random.nextInt(25) == 0) {
                scattered[v] = (byte) random.nextInt(21);
            }
        }
        byte[] shiftedX = shifted(t, g, 1, 0);
        byte[] sidesSwapped = t.clone();
        for (int v = 0; v < sidesSwapped.length; v++) {
            int label = t[v] & 0xFF;
            // why: the lentiform nucleus and M2 of both sides take the other side's label, as a sagittal network may
            if (label == 2 || label == 12 || label == 6 || label == 16) {
                sidesSwapped[v] = (byte) (label <= 10 ? label + 10 : label - 10);
            }
        }
        PlanePrediction axial = prediction(Plane.AXIAL, g, t, scattered, 41);
        PlanePrediction coronal = prediction(Plane.CORONAL, g, t, shiftedX, 42);
        PlanePrediction sagittal = prediction(Plane.SAGITTAL, g, t, sidesSwapped, 43);
        Volume atlas = volume(g, shifted(t, g, 0, 1));
        Volume ct = subject.ct();
        short[] hu = ((VoxelBuffer.Int16) ct.voxels()).data;
        byte[] acquiredMask = new byte[hu.length];
        for (int v = 0; v < hu.length; v++) {
            acquiredMask[v] = (byte) (hu[v] >= -100 && hu[v] <= 200 ? 1 : 0);
        }
        byte[] rotatedMask = new byte[t.length];
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    // why: a mask that cuts the top slices and the patient's right side off the predictions
                    rotatedMask[i + g.nx() * (j + g.ny() * k)] = (byte) (k < g.nz() - 8 && i > 60 ? 1 : 0);
                }
            }
        }
        inputs = new ScanFusion.Inputs(axial, coronal, sagittal, ct, subject.pose(), truth, atlas,
                new ScanFusion.Masks(volume(g, rotatedMask), volume(ct.geometry(), acquiredMask)));
    }

    @Test
    void theScanIsTheOneTheSumsWereRecordedOn() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes(subject.labels()));
        for (short s : ((VoxelBuffer.Int16) subject.ct().voxels()).data) {
            sha.update((byte) s);
            sha.update((byte) (s >> 8));
        }
        sha.update(subject.pose().toString().getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(sha.digest()))
                .as("the phantom scan itself changed (PhantomGenerator): the sums below no longer say anything about the"
                        + " fusion's code; record them again from an unchanged fusion implementation")
                .isEqualTo(SCAN);
    }

    @Test
    void majority() throws Exception {
        assertThat(fused(new FusionRule(FusionMethod.MAJORITY, false, null))).isEqualTo(MAJORITY);
    }

    @Test
    void majorityWithTheAtlasAsFourthVoter() throws Exception {
        assertThat(fused(new FusionRule(FusionMethod.MAJORITY, true, null))).isEqualTo(MAJORITY_WITH_ATLAS);
    }

    @Test
    void confidence() throws Exception {
        assertThat(fused(new FusionRule(FusionMethod.CONFIDENCE, false, null))).isEqualTo(CONFIDENCE);
    }

    @Test
    void confidenceWithTheAtlasAsFourthVoter() throws Exception {
        assertThat(fused(new FusionRule(FusionMethod.CONFIDENCE, true, null))).isEqualTo(CONFIDENCE_WITH_ATLAS);
    }

    @Test
    void learned() throws Exception {
        double[][] w = WeightedVote.equal().weights();
        for (int label = 0; label < w[0].length; label++) {
            w[0][label] = 1.5;
            w[2][label] = label % 3 == 0 ? 0.5 : 1.0;
            w[3][label] = 0.75;
        }
        assertThat(fused(new FusionRule(FusionMethod.LEARNED, false, new WeightedVote(w)))).isEqualTo(LEARNED);
    }

    /** SHA-256 of everything the fusion task stores and records for the scan under {@code rule}. */
    private static String fused(FusionRule rule) throws Exception {
        ScanFusion.Outputs out = new ScanFusion(2).run(rule, inputs);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes(out.fused().labels()));
        sha.update(bytes(out.fused().support()));
        sha.update(bytes(out.acquired()));
        double acquiredVoxelMl = EvaluationSummary.voxelMl(inputs.ct().geometry());
        double rotatedVoxelMl = EvaluationSummary.voxelMl(out.fused().labels().geometry());
        sha.update(ResultDocuments.regionStatistics(out.regions(), acquiredVoxelMl).getBytes(StandardCharsets.UTF_8));
        sha.update(ResultDocuments.evaluation(out.confusions(), rotatedVoxelMl).getBytes(StandardCharsets.UTF_8));
        sha.update(ResultDocuments.summary(rule.name(), out.confusions(), out.regions()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A plane's prediction: {@code labels}, confident (200..255) where they are the truth, less (60..180) elsewhere. */
    private static PlanePrediction prediction(Plane plane, Geometry g, byte[] truth, byte[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] confidence = new byte[labels.length];
        for (int v = 0; v < labels.length; v++) {
            confidence[v] = (byte) (labels[v] == truth[v] ? 200 + random.nextInt(56) : 60 + random.nextInt(121));
        }
        return new PlanePrediction(plane, volume(g, labels), volume(g, confidence));
    }

    /** The labels moved {@code di} voxels along i and {@code dj} along j, 0 brought in. */
    private static byte[] shifted(byte[] labels, Geometry g, int di, int dj) {
        byte[] out = new byte[labels.length];
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    int fi = i - di;
                    int fj = j - dj;
                    if (fi >= 0 && fi < g.nx() && fj >= 0 && fj < g.ny()) {
                        out[i + g.nx() * (j + g.ny() * k)] = labels[fi + g.nx() * (fj + g.ny() * k)];
                    }
                }
            }
        }
        return out;
    }

    private static Volume volume(Geometry g, byte[] data) {
        Volume v = Volume.allocate(g, DataType.UINT8);
        System.arraycopy(data, 0, bytes(v), 0, data.length);
        return v;
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }
}
