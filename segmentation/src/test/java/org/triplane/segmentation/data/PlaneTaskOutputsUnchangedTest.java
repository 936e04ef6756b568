package org.triplane.segmentation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.registration.DisplacementField;
import org.triplane.segmentation.model.NetworkInputs;

/**
 * What a plane task computes around its network, byte for byte as the implementation of commit 8a65889
 * computed it (the SHA-256 sums below are that implementation's outputs, recorded before the work was
 * made cheaper): the network's inputs for each plane ({@link SampleBuilder}, for inference and for
 * training) and the way back onto the scan's grid ({@link PredictionVolumes}), on a phantom scan with
 * the study's kind of voxels (0.9 × 0.9 × 2.5 mm, rotated and windowed as the preprocess-worker leaves it).
 *
 * <p>The scan's map to the atlas is the one its phantom was built with (the atlas brain centre at the
 * grid centre, the head's scale; {@code PhantomGenerator}) and its deformable part a smooth displacement
 * of a few millimetres made here, so that the sums do not move with the registration's own tuning. The
 * network's outputs are stood in for by the atlas's label shares the inputs carry (label = the largest
 * share, confidence = that share, probabilities = the shares): the network is not what is checked, and
 * libtorch's arithmetic may differ between CPUs where the code around it must not.
 *
 * <p>A changed sum means a changed output: find the change, and only if it is meant, record the new sums
 * with the reason in the commit.
 */
class PlaneTaskOutputsUnchangedTest {
    private static final int DEPTH = 4;
    // the SHA-256 sums of commit 8a65889's outputs
    private static final String SCAN = "b1fb84e64a82834dea22d3c6299c5217fc49811aa233ae90f9ad274a7e963700";
    private static final String INFERENCE_INPUTS_3MM = "bdabc69875a372f1efbdb9b917678d3db185da15856ef6e589d9c45c7b62bc90";
    private static final String INFERENCE_INPUTS_1_5MM = "c72cbddcd99e6e1394f3917af9a0e5922b2bd2f3b348c88ff7d908e64c0f2574";
    private static final String TRAINING_SAMPLES_3MM_AFFINE = "69c8d52aa14c70f87ad105c33566b6e6d6cade6fa682b87d44ed64ac676dde1b";
    private static final String INFERENCE_INPUTS_SCAN_PLACED = "fc7cc7be827aa2ecf7e0409d6e0c92e483166d1b28642eb2dc2aa24b42d6bf56";
    private static final String BACK_ON_SCAN_3MM = "4f866d736da14f39054f2ba6b103c564c46217f7dc54d63511b0afffe1e4ec0a";
    private static final String BACK_ON_SCAN_1_5MM = "c3b4b4f342ace308f9affa67330316ebe3e6021267ec372e0bb2a159a3d1e02d";
    private static final String BACK_ON_SCAN_NEAREST = "e9fbb90652fd8da1aa461ae331b30fe428b7a5f5008817ebd5e08cfe17d38224";
    private static ScanVolumes scan;

    @BeforeAll
    static void registeredPhantom() {
        ScanVolumes plain = TestScans.phantom(256, 256, 56, new double[] {0.9, 0.9, 2.5}, 8808L, 1);
        PhantomSubject subject = TestScans.subject(256, 256, 56, new double[] {0.9, 0.9, 2.5}, 8808L, 1);
        double[] scale = subject.headScale();
        double[] centre = plain.grid().centre();
        double[] brain = Atlas.get().brainCentre();
        AffineTransform toAtlas = new AffineTransform(
                new double[] {1 / scale[0], 0, 0, 0, 1 / scale[1], 0, 0, 0, 1 / scale[2]}, centre,
                new double[] {brain[0] - centre[0], brain[1] - centre[1], brain[2] - centre[2]});
        scan = new ScanVolumes(plain.id(), plain.windowed(), plain.labels(), toAtlas).withAtlasWarp(smoothDisplacement());
    }

    @Test
    void theScanIsTheOneTheSumsWereRecordedOn() throws Exception {
        Sha sha = new Sha();
        sha.bytes(TestScans.bytes(scan.windowed()));
        sha.bytes(TestScans.bytes(scan.labels()));
        assertEquals(SCAN, sha.hex(),
                "the phantom scan itself changed (PhantomGenerator, WindowedRotation): the sums below no longer say anything"
                        + " about the plane tasks' code; record them again from an unchanged plane-task implementation");
    }

    @Test
    void inferenceInputsOnA3MmAtlasGrid() throws Exception {
        assertEquals(INFERENCE_INPUTS_3MM,
                inputs(ModelGrid.aspectsInAtlas(3.0).withDeformableAtlas(), NetworkInputs.WINDOW_AND_ATLAS, false));
    }

    @Test
    void inferenceInputsOnA1point5MmAtlasGrid() throws Exception {
        assertEquals(INFERENCE_INPUTS_1_5MM,
                inputs(ModelGrid.aspectsInAtlas(1.5).withDeformableAtlas(), NetworkInputs.WINDOW_AND_ATLAS, false));
    }

    @Test
    void trainingSamplesOnA3MmAtlasGridFollowingTheAffineRegistrationAlone() throws Exception {
        assertEquals(TRAINING_SAMPLES_3MM_AFFINE,
                inputs(ModelGrid.aspectsInAtlas(3.0), NetworkInputs.WINDOW_AND_ATLAS, true));
    }

    @Test
    void inferenceInputsWithThePositionChannelOnAScanPlacedGrid() throws Exception {
        assertEquals(INFERENCE_INPUTS_SCAN_PLACED, inputs(ModelGrid.COARSE, NetworkInputs.WINDOW_AND_MIDLINE, false));
    }

    @Test
    void predictionsBackOnTheScanGridFromA3MmAtlasGrid() throws Exception {
        assertEquals(BACK_ON_SCAN_3MM,
                backOnScanGrid(ModelGrid.aspectsInAtlas(3.0).withDeformableAtlas(), NetworkInputs.WINDOW_AND_ATLAS));
    }

    @Test
    void predictionsBackOnTheScanGridFromA1point5MmAtlasGrid() throws Exception {
        assertEquals(BACK_ON_SCAN_1_5MM,
                backOnScanGrid(ModelGrid.aspectsInAtlas(1.5).withDeformableAtlas(), NetworkInputs.WINDOW_AND_ATLAS));
    }

    @Test
    void labelsBackOnTheScanGridFromAScanPlacedGridByNearestNeighbour() throws Exception {
        assertEquals(BACK_ON_SCAN_NEAREST, backOnScanGrid(ModelGrid.COARSE, NetworkInputs.WINDOW_AND_MIDLINE));
    }

    /** SHA-256 of every plane's samples on {@code grid}: the inputs' float bits, the labels, the scan indices. */
    private static String inputs(ModelGrid grid, NetworkInputs inputs, boolean training) throws NoSuchAlgorithmException {
        SampleBuilder builder = new SampleBuilder(grid, TestScans.RESAMPLER);
        Sha sha = new Sha();
        for (Plane plane : Plane.values()) {
            PlaneSamples s = training
                    ? builder.build(List.of(scan), plane, SampleOptions.training(DEPTH, inputs))
                    : builder.build(List.of(scan.withoutLabels()), plane, SampleOptions.inference(DEPTH, inputs));
            sha.text(plane + " " + s.count() + " " + s.channels() + " " + s.height() + " " + s.width());
            sha.floats(s.inputs());
            if (s.labels() != null) {
                sha.bytes(s.labels());
            }
            sha.text(java.util.Arrays.toString(s.scanIndex()));
        }
        return sha.hex();
    }

    /**
     * SHA-256 of every plane's labels and confidence on the scan's grid, from stand-in network outputs: with
     * the atlas inputs, the atlas shares the inputs carry, through the class probabilities; with the position
     * channel, labels and confidences made from the window byte, by nearest neighbour alone.
     */
    private static String backOnScanGrid(ModelGrid grid, NetworkInputs inputs) throws NoSuchAlgorithmException {
        SampleBuilder builder = new SampleBuilder(grid, TestScans.RESAMPLER);
        PredictionVolumes back = new PredictionVolumes(grid, TestScans.RESAMPLER);
        Sha sha = new Sha();
        for (Plane plane : Plane.values()) {
            PlaneSamples s = builder.build(List.of(scan.withoutLabels()), plane, SampleOptions.inference(DEPTH, inputs));
            int pixels = s.slicePixels();
            byte[] labels = new byte[s.count() * pixels];
            byte[] confidence = new byte[labels.length];
            byte[][] probabilities = null;
            if (inputs == NetworkInputs.WINDOW_AND_ATLAS) {
                probabilities = new byte[AtlasChannels.LABELS][labels.length];
                fromShares(s, labels, confidence, probabilities);
            } else {
                fromWindow(s, labels, confidence);
            }
            PlanePrediction p = back.toScanGrid(scan.grid(), scan.toAtlas(), plane, DEPTH, labels, confidence, probabilities);
            sha.bytes(TestScans.bytes(p.labels()));
            sha.bytes(TestScans.bytes(p.confidence()));
        }
        return sha.hex();
    }

    /** Label = the largest atlas share (the first on a tie), confidence = that share, probabilities = the shares. */
    private static void fromShares(PlaneSamples s, byte[] labels, byte[] confidence, byte[][] probabilities) {
        int pixels = s.slicePixels();
        for (int n = 0; n < s.count(); n++) {
            int first = (n * s.channels() + NetworkInputs.FIRST_SHARE_CHANNEL) * pixels;
            for (int p = 0; p < pixels; p++) {
                int best = -1;
                int arg = 0;
                for (int c = 0; c < probabilities.length; c++) {
                    int share = Math.round(s.inputs()[first + c * pixels + p] * 255f);
                    probabilities[c][n * pixels + p] = (byte) share;
                    if (share > best) {
                        best = share;
                        arg = c;
                    }
                }
                labels[n * pixels + p] = (byte) arg;
                confidence[n * pixels + p] = (byte) best;
            }
        }
    }

    /** Label = window byte / 13, confidence = 255 − window byte. */
    private static void fromWindow(PlaneSamples s, byte[] labels, byte[] confidence) {
        int pixels = s.slicePixels();
        for (int n = 0; n < s.count(); n++) {
            for (int p = 0; p < pixels; p++) {
                int window = Math.round(s.inputs()[n * s.channels() * pixels + p] * 254f);
                labels[n * pixels + p] = (byte) (window / 13);
                confidence[n * pixels + p] = (byte) (255 - window);
            }
        }
    }

    /**
     * A displacement of atlas space of up to about 3 mm, smooth (one period over the head), on 12 mm
     * nodes over the atlas's regions with room to spare.
     */
    private static DisplacementField smoothDisplacement() {
        double spacing = 12;
        double[] origin = {-90, -85, -40};
        int[] dims = {16, 18, 11};
        double[] values = new double[3 * dims[0] * dims[1] * dims[2]];
        for (int k = 0, n = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++, n++) {
                    double x = 2 * Math.PI * i / dims[0];
                    double y = 2 * Math.PI * j / dims[1];
                    double z = 2 * Math.PI * k / dims[2];
                    values[3 * n] = 2.5 * StrictMath.sin(y) * StrictMath.cos(z);
                    values[3 * n + 1] = 2.0 * StrictMath.sin(z + x);
                    values[3 * n + 2] = 1.5 * StrictMath.cos(x) * StrictMath.sin(y);
                }
            }
        }
        return new DisplacementField(origin, spacing, dims, values);
    }

    /** A SHA-256 over arrays and text, in the order given. */
    private static final class Sha {
        private final MessageDigest digest;

        Sha() throws NoSuchAlgorithmException {
            digest = MessageDigest.getInstance("SHA-256");
        }

        void bytes(byte[] b) {
            digest.update(b);
        }

        void floats(float[] f) {
            ByteBuffer buffer = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(f);
            digest.update(buffer.array());
        }

        void text(String s) {
            digest.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest()).toLowerCase(Locale.ROOT);
        }
    }
}
