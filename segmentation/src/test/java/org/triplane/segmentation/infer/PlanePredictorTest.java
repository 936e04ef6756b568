package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
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
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.UNet;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.train.SyntheticBands;

class PlanePredictorTest {
    @TempDir
    Path dir;

    private Path randomWeights(UNetConfig config, int size) throws IOException {
        Path file = dir.resolve("w.params");
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(21);
            UNet net = new UNet(config);
            Shape shape = new Shape(4, config.inputChannels(), size, size);
            net.initialize(manager, DataType.FLOAT32, shape);
            // why: one training pass gives BatchNorm non-trivial running statistics
            net.forward(new ParameterStore(manager, false), new NDList(manager.randomUniform(0, 1, shape)), true);
            ModelFiles.save(net, file);
        }
        return file;
    }

    @Test
    void labelsAndConfidenceFollowTheLogitsOfTheBlock() throws IOException {
        UNetConfig config = UNetConfig.tiny(2);
        Path weights = randomWeights(config, 32);
        PlaneSamples samples = SyntheticBands.make(5, 2, 32, 8, 4, 0.05, 9);
        int pixels = 32 * 32;
        int classes = config.classes();
        float[] logits;
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet net = ModelFiles.load(weights, config, manager);
            logits = net.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(samples.inputs(), new Shape(5, 2, 32, 32))), false).singletonOrThrow()
                    .toFloatArray();
        }
        PlanePrediction prediction;
        try (PlanePredictor predictor = new PlanePredictor(config, weights, Device.cpu())) {
            prediction = predictor.predict(samples, 2);
        }
        assertEquals(5, prediction.count());
        int exactConfidence = 0;
        for (int n = 0; n < 5; n++) {
            for (int p = 0; p < pixels; p++) {
                int best = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double v = logits[(n * classes + c) * pixels + p];
                    if (v > max) {
                        max = v;
                        best = c;
                    }
                }
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    z += Math.exp(logits[(n * classes + c) * pixels + p] - max);
                }
                long confidence = Math.round(255 / z);
                int i = n * pixels + p;
                assertEquals(best, prediction.labels()[i] & 0xff, "label at slice " + n + " pixel " + p);
                int got = prediction.confidence()[i] & 0xff;
                // why: float32 softmax vs double may land on the other side of a .5 rounding boundary
                assertTrue(Math.abs(got - confidence) <= 1, "confidence " + got + " vs " + confidence);
                exactConfidence += got == confidence ? 1 : 0;
            }
        }
        assertTrue(exactConfidence > 0.99 * 5 * pixels, "exact confidences " + exactConfidence);
        PredictionStats stats = prediction.stats();
        assertEquals(5, stats.slices());
        assertEquals("cpu", stats.device());
        assertEquals(2, stats.batchSize());
        assertTrue(stats.seconds() > 0 && stats.slicesPerSecond() > 0);
    }

    @Test
    void rejectsSamplesThatDoNotFit() throws IOException {
        UNetConfig config = UNetConfig.tiny(1);
        Path weights = randomWeights(config, 16);
        try (PlanePredictor predictor = new PlanePredictor(config, weights, Device.cpu())) {
            assertThrows(IllegalArgumentException.class,
                    () -> predictor.predict(SyntheticBands.make(2, 2, 32, 8, 4, 0, 1), 2));
            assertThrows(IllegalArgumentException.class,
                    () -> predictor.predict(SyntheticBands.make(2, 1, 20, 4, 4, 0, 1), 2));
        }
        assertThrows(IOException.class, () -> new PlanePredictor(UNetConfig.tiny(2), weights, Device.cpu()));
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void nativeMemoryStaysFlatOverAThousandSlices() throws IOException {
        UNetConfig config = UNetConfig.tiny(1);
        Path weights = randomWeights(config, 64);
        PlaneSamples first = SyntheticBands.make(100, 1, 64, 8, 4, 0.05, 1);
        PlaneSamples rest = SyntheticBands.make(900, 1, 64, 8, 4, 0.05, 2);
        try (PlanePredictor predictor = new PlanePredictor(config, weights, Device.cpu())) {
            predictor.predict(first, 8);
            long afterFirst = residentKb();
            PlanePrediction p = predictor.predict(rest, 8);
            long afterAll = residentKb();
            System.out.printf("RSS after 100 slices %d MB, after 1000 %d MB; %.0f slices/s%n", afterFirst / 1024,
                    afterAll / 1024, p.stats().slicesPerSecond());
            assertTrue(afterAll - afterFirst < 100 * 1024, "RSS grew by " + (afterAll - afterFirst) / 1024 + " MB");
        }
    }
}
