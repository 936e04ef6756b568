package org.triplane.segmentation.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.Test;

class UNetTest {

    private static Shape forwardShape(UNetConfig config, Shape input, boolean training) {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet net = new UNet(config);
            net.initialize(manager, DataType.FLOAT32, input);
            NDArray x = manager.randomUniform(0, 1, input);
            NDArray y = net.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
            assertEquals(DataType.FLOAT32, y.getDataType());
            return y.getShape();
        }
    }

    @Test
    void tinyAndSmallKeepHeightAndWidthAndGiveOneLogitPerClass() {
        assertEquals(new Shape(2, 21, 32, 24), forwardShape(UNetConfig.tiny(1), new Shape(2, 1, 32, 24), false));
        assertEquals(new Shape(3, 21, 16, 48), forwardShape(UNetConfig.tiny(2), new Shape(3, 2, 16, 48), true));
        assertEquals(new Shape(2, 21, 64, 32), forwardShape(UNetConfig.small(2), new Shape(2, 2, 64, 32), false));
        // why: training-mode BatchNorm needs more than one value per channel, so the bottleneck must exceed 1x1
        assertEquals(new Shape(1, 21, 32, 32), forwardShape(UNetConfig.small(1), new Shape(1, 1, 32, 32), true));
    }

    @Test
    void rejectsSizesThatAreNoMultipleOfTwoToTheDepthAndWrongChannels() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> forwardShape(UNetConfig.tiny(1), new Shape(1, 1, 32, 20), false));
        assertTrue(size.getMessage().contains("32x20"), size.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> forwardShape(UNetConfig.tiny(2), new Shape(1, 1, 32, 32), false));
        assertTrue(channels.getMessage().contains("2 input channel"), channels.getMessage());
    }

    @Test
    void weightCountOfTheBlockMatchesTheArchitectureFormula() {
        for (UNetConfig config : new UNetConfig[] {UNetConfig.tiny(1), UNetConfig.small(2), UNetConfig.study(1)}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                UNet net = new UNet(config);
                net.initialize(manager, DataType.FLOAT32, new Shape(1, config.inputChannels(), 32, 32));
                long all = 0;
                long trainable = 0;
                for (Pair<String, Parameter> p : net.getParameters()) {
                    long size = p.getValue().getArray().size();
                    all += size;
                    trainable += p.getValue().requiresGradient() ? size : 0;
                }
                assertEquals(UNetConfigTest.countByLayers(config.depth(), config.baseFilters(), config.inputChannels(), 21,
                        true), all, config.toString());
                assertEquals(UNetConfigTest.countByLayers(config.depth(), config.baseFilters(), config.inputChannels(), 21,
                        false), trainable, config.toString());
            }
        }
    }

    @Test
    void nearestUpsamplingCopiesEachPixelIntoATwoByTwoBlock() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] in = {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}; // N=1, C=2, H=2, W=3
            NDArray up = UNet.upsampleNearest2x(manager.create(in, new Shape(1, 2, 2, 3)));
            assertEquals(new Shape(1, 2, 4, 6), up.getShape());
            float[] out = up.toFloatArray();
            for (int c = 0; c < 2; c++) {
                for (int h = 0; h < 4; h++) {
                    for (int w = 0; w < 6; w++) {
                        assertEquals(in[(c * 2 + h / 2) * 3 + w / 2], out[(c * 4 + h) * 6 + w]);
                    }
                }
            }
        }
    }

    @Test
    void inputNoiseTouchesChannelZeroOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = manager.zeros(new Shape(4, 2, 32, 32));
            float[] noise = UNet.channelZeroNoise(x, 0.5).toFloatArray();
            int pixels = 32 * 32;
            double sum = 0;
            double sumSq = 0;
            for (int n = 0; n < 4; n++) {
                for (int p = 0; p < pixels; p++) {
                    double v = noise[(n * 2) * pixels + p];
                    sum += v;
                    sumSq += v * v;
                    assertEquals(0f, noise[(n * 2 + 1) * pixels + p]);
                }
            }
            int count = 4 * pixels;
            double std = Math.sqrt(sumSq / count - (sum / count) * (sum / count));
            assertEquals(0.5, std, 0.03);
            assertEquals(0, sum / count, 0.05);
        }
    }

    @Test
    void evaluationIsDeterministicAndTrainingAddsNoise() {
        UNetConfig config = new UNetConfig(2, 4, 0.0, 0.5, 1, 21);
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet net = new UNet(config);
            Shape shape = new Shape(2, 1, 16, 16);
            net.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0, 1, shape);
            float[] eval1 = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] eval2 = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(eval1, eval2);
            float[] train1 = net.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            float[] train2 = net.forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            assertNotEquals(java.util.Arrays.hashCode(train1), java.util.Arrays.hashCode(train2));
        }
    }
}
