package org.triplane.segmentation.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FoldedUNetTest {

    /** Gives every BatchNorm its own scale, shift, mean and variance, so that folding has work to do. */
    private static void randomiseBatchNorms(UNet net, long seed) {
        Random random = new Random(seed);
        for (Pair<String, Parameter> p : net.getParameters()) {
            String name = p.getKey();
            NDArray a = p.getValue().getArray();
            float low;
            float high;
            if (name.endsWith("gamma")) {
                low = 0.5f;
                high = 1.5f;
            } else if (name.endsWith("beta") || name.endsWith("runningMean")) {
                low = -0.5f;
                high = 0.5f;
            } else if (name.endsWith("runningVar")) {
                low = 0.2f;
                high = 2f;
            } else {
                continue;
            }
            float[] v = new float[Math.toIntExact(a.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = low + (high - low) * random.nextFloat();
            }
            a.set(v);
        }
    }

    private static void assertFoldedMatchesEvaluation(UNetConfig config, Shape input) {
        float[] expected;
        float[] folded;
        try (NDManager manager = NDManager.newBaseManager(); NDManager foldedWeights = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            UNet net = new UNet(config);
            net.initialize(manager, DataType.FLOAT32, input);
            randomiseBatchNorms(net, 11);
            NDArray x = manager.randomUniform(0, 1, input);
            expected = net.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
            FoldedUNet network = FoldedUNet.of(net, foldedWeights);
            NDArray y = network.forward(x);
            assertEquals(new Shape(input.get(0), config.classes(), input.get(2), input.get(3)), y.getShape());
            folded = y.toFloatArray();
            // the input is left open and unchanged
            assertEquals(input, x.getShape());
            assertEquals(0, x.sub(x).abs().max().getFloat());
        }
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - folded[i]));
        }
        assertTrue(largest > 0.1, "logits should not be trivially small: " + largest);
        // why a relative bound: folding reorders float32 products, so logits agree to rounding, not bit for bit
        assertTrue(worst <= 1e-4 * largest, "largest difference " + worst + " for logits up to " + largest);
    }

    @Test
    void logitsEqualTheNetworkInEvaluationModeWithNonTrivialBatchNorms() {
        assertFoldedMatchesEvaluation(UNetConfig.tiny(2), new Shape(3, 2, 32, 24));
        assertFoldedMatchesEvaluation(UNetConfig.small(1), new Shape(2, 1, 32, 32));
        assertFoldedMatchesEvaluation(UNetConfig.tiny(26), new Shape(2, 26, 16, 24));
    }

    /** With the atlas inputs, a network whose own output is zero answers the atlas: its logits are the log shares. */
    @Test
    void withTheAtlasInputsTheLogitsStartFromTheAtlasLabelShares() {
        UNetConfig config = UNetConfig.tiny(26);
        Shape input = new Shape(1, 26, 16, 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet net = new UNet(config);
            net.initialize(manager, DataType.FLOAT32, input);
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getKey().contains("head")) {
                    p.getValue().getArray().set(new float[Math.toIntExact(p.getValue().getArray().size())]);
                }
            }
            float[] x = new float[26 * 256];
            for (int pixel = 0; pixel < 256; pixel++) {
                int label = pixel % 21;
                x[(5 + label) * 256 + pixel] = 0.75f;
                x[(5 + (label + 1) % 21) * 256 + pixel] = 0.25f;
            }
            float[] logits = FoldedUNet.of(net, manager).forward(manager.create(x, input)).toFloatArray();
            for (int pixel = 0; pixel < 256; pixel += 37) {
                int label = pixel % 21;
                assertEquals(Math.log(0.75 + 0.01), logits[label * 256 + pixel], 1e-5);
                assertEquals(Math.log(0.25 + 0.01), logits[((label + 1) % 21) * 256 + pixel], 1e-5);
                assertEquals(Math.log(0.01), logits[((label + 2) % 21) * 256 + pixel], 1e-5);
            }
        }
    }

    @Test
    void foldedWeightsOutliveTheNetworkTheyCameFrom() {
        UNetConfig config = UNetConfig.tiny(1);
        Shape input = new Shape(1, 1, 16, 16);
        try (NDManager foldedWeights = NDManager.newBaseManager()) {
            FoldedUNet network;
            float[] before;
            float[] data = new float[16 * 16];
            for (int i = 0; i < data.length; i++) {
                data[i] = (i % 7) / 7f;
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(3);
                UNet net = new UNet(config);
                net.initialize(manager, DataType.FLOAT32, input);
                randomiseBatchNorms(net, 4);
                network = FoldedUNet.of(net, foldedWeights);
                before = network.forward(manager.create(data, input)).toFloatArray();
            }
            try (NDManager batch = foldedWeights.newSubManager()) {
                float[] after = network.forward(batch.create(data, input)).toFloatArray();
                assertEquals(before.length, after.length);
                for (int i = 0; i < before.length; i++) {
                    assertEquals(before[i], after[i], 0f, "logit " + i);
                }
            }
        }
    }
}
