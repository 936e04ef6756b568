package org.triplane.segmentation.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void savedWeightsReloadIntoAFreshNetworkWithIdenticalOutputs() throws IOException {
        UNetConfig config = UNetConfig.tiny(2);
        Shape shape = new Shape(3, 2, 32, 16);
        float[] input = new float[(int) shape.size()];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < input.length; i++) {
            input[i] = r.nextFloat();
        }
        Path file = dir.resolve("sub/model.params");
        float[] before;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            UNet net = new UNet(config);
            net.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.create(input, shape);
            // why: a training pass moves the BatchNorm running statistics away from their initial 0/1,
            // so the file must carry them too
            net.forward(ps, new NDList(x), true);
            before = net.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            ModelFiles.save(net, file);
        }
        assertEquals(config, ModelFiles.readConfig(file));
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet loaded = ModelFiles.load(file, config, manager);
            float[] after = loaded.forward(new ParameterStore(manager, false), new NDList(manager.create(input, shape)), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(before, after);
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void refusesAnotherConfigurationAndForeignFiles() throws IOException {
        Path file = dir.resolve("m.params");
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet net = new UNet(UNetConfig.tiny(1));
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            ModelFiles.save(net, file);
            IOException other = assertThrows(IOException.class, () -> ModelFiles.load(file, UNetConfig.tiny(2), manager));
            assertTrue(other.getMessage().contains("m.params"), other.getMessage());
            Path junk = Files.writeString(dir.resolve("junk.params"), "not a model");
            assertThrows(IOException.class, () -> ModelFiles.load(junk, UNetConfig.tiny(1), manager));
            assertThrows(IllegalStateException.class, () -> ModelFiles.save(new UNet(UNetConfig.tiny(1)), dir.resolve("x")));
        }
    }
}
