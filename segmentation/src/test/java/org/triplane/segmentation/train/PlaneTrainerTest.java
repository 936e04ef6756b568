package org.triplane.segmentation.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.UNet;
import org.triplane.segmentation.model.UNetConfig;

class PlaneTrainerTest {
    private static final UNetConfig TINY = UNetConfig.tiny(1);
    private static final PlaneSamples TRAIN = SyntheticBands.make(96, 1, 32, 8, 4, 0.03, 1);
    private static final PlaneSamples VALIDATION = SyntheticBands.make(12, 1, 32, 8, 4, 0.03, 2);

    @TempDir
    Path dir;

    /** Thrown by a listener to stop a training, as a killed worker would. */
    private static final class Stop extends RuntimeException {
    }

    @Test
    void tinyNetworkLearnsIntensityBandsWithinAFewEpochs() throws IOException {
        TrainingSettings settings = new TrainingSettings(12, 8, 0.02, 0.5, 0.5, 1.0, 7);
        List<EpochReport> reported = new ArrayList<>();
        TrainingOutcome outcome = new PlaneTrainer(TINY, settings, Device.cpu())
                .train(TRAIN, VALIDATION, dir.resolve("run"), reported::add);
        reported.forEach(System.out::println);
        assertEquals(12, reported.size());
        assertEquals(reported, outcome.history());
        for (int i = 0; i < reported.size(); i++) {
            assertEquals(i + 1, reported.get(i).epoch());
        }
        EpochReport best = reported.get(outcome.bestEpoch() - 1);
        assertEquals(best.meanIoU(), outcome.bestMeanIoU());
        for (EpochReport r : reported) {
            assertTrue(r.meanIoU() <= best.meanIoU());
        }
        assertTrue(best.meanIoU() > 0.8, "best validation mean IoU " + best.meanIoU());
        assertTrue(reported.get(reported.size() - 1).trainTversky() < reported.get(0).trainTversky());
        double[] iou = best.classIoU();
        assertEquals(21, iou.length);
        for (int c = 4; c < 21; c++) {
            assertTrue(Double.isNaN(iou[c]) || iou[c] == 0, "class " + c + " is absent from the truth");
        }
        assertEquals(TINY, ModelFiles.readConfig(outcome.weights()));
        assertEquals(0, outcome.resumedAfterEpoch());
    }

    @Test
    void resumesAfterAStopWithTheCheckpointedStateAndEndsWhereAnUninterruptedRunEnds() throws IOException {
        TrainingSettings settings = new TrainingSettings(4, 8, 0.01, 0.85, 0.15, 1.0, 3);
        PlaneSamples train = SyntheticBands.make(24, 1, 32, 8, 4, 0.03, 5);
        PlaneSamples validation = SyntheticBands.make(8, 1, 32, 8, 4, 0.03, 6);

        TrainingOutcome straight = new PlaneTrainer(TINY, settings, Device.cpu())
                .train(train, validation, dir.resolve("straight"), EpochListener.NONE);

        Path folder = dir.resolve("stopped");
        List<EpochReport> beforeStop = new ArrayList<>();
        assertThrows(Stop.class, () -> new PlaneTrainer(TINY, settings, Device.cpu()).train(train, validation, folder,
                report -> {
                    beforeStop.add(report);
                    if (report.epoch() == 2) {
                        throw new Stop();
                    }
                }));
        assertEquals(2, beforeStop.size());
        assertTrue(Files.exists(folder.resolve("epoch-0002.params")));
        Path checkpointWeights = dir.resolve("epoch-0002-copy.params");
        Files.copy(folder.resolve("epoch-0002.params"), checkpointWeights);

        List<EpochReport> afterResume = new ArrayList<>();
        float[][] resumedWeights = new float[1][];
        PlaneTrainer resumer = new PlaneTrainer(TINY, settings, Device.cpu());
        resumer.afterResume = net -> resumedWeights[0] = flatWeights(net);
        TrainingOutcome resumed = resumer.train(train, validation, folder, afterResume::add);

        assertEquals(List.of(3, 4), afterResume.stream().map(EpochReport::epoch).toList());
        assertEquals(2, resumed.resumedAfterEpoch());
        assertEquals(beforeStop, resumed.history().subList(0, 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(flatWeights(ModelFiles.load(checkpointWeights, TINY, manager)), resumedWeights[0]);
        }
        // why: Adam's moments and the per-epoch seeds are checkpointed/derived, so the resumed run continues exactly
        for (int e = 0; e < 4; e++) {
            EpochReport a = straight.history().get(e);
            EpochReport b = resumed.history().get(e);
            assertEquals(a.trainTversky(), b.trainTversky(), "epoch " + (e + 1));
            assertEquals(a.validationTversky(), b.validationTversky(), "epoch " + (e + 1));
            assertArrayEquals(a.classIoU(), b.classIoU(), "epoch " + (e + 1));
        }
        assertEquals(straight.bestEpoch(), resumed.bestEpoch());
        assertArrayEquals(probe(straight.weights()), probe(resumed.weights()));

        // a finished checkpoint resumes to nothing more to do
        List<EpochReport> none = new ArrayList<>();
        TrainingOutcome again = new PlaneTrainer(TINY, settings, Device.cpu()).train(train, validation, folder, none::add);
        assertTrue(none.isEmpty());
        assertEquals(resumed.history(), again.history());
        try (var files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), names.toString());
            assertTrue(names.contains("checkpoint.properties") && names.contains("epoch-0004.params"), names.toString());
        }
    }

    @Test
    void refusesACheckpointOfAnotherNetworkOrSettings() throws IOException {
        TrainingSettings settings = new TrainingSettings(1, 8, 0.01, 0.85, 0.15, 1.0, 3);
        PlaneSamples train = SyntheticBands.make(8, 1, 32, 8, 4, 0.03, 5);
        Path folder = dir.resolve("one");
        new PlaneTrainer(TINY, settings, Device.cpu()).train(train, train, folder, EpochListener.NONE);
        IllegalStateException config = assertThrows(IllegalStateException.class,
                () -> new PlaneTrainer(new UNetConfig(3, 8, 0.1, 0.02, 1, 21), settings, Device.cpu())
                        .train(train, train, folder, EpochListener.NONE));
        assertTrue(config.getMessage().contains("baseFilters"), config.getMessage());
        assertThrows(IllegalStateException.class, () -> new PlaneTrainer(TINY,
                new TrainingSettings(2, 4, 0.01, 0.85, 0.15, 1.0, 3), Device.cpu()).train(train, train, folder, EpochListener.NONE));
        PlaneSamples unlabelled = new PlaneSamples(train.plane(), train.count(), 1, 32, 32, train.inputs(), null,
                train.scanIndex());
        assertThrows(IllegalArgumentException.class, () -> new PlaneTrainer(TINY, settings, Device.cpu())
                .train(unlabelled, train, dir.resolve("two"), EpochListener.NONE));
    }

    @Test
    void epochOrderIsAShuffleDrawnFromSeedAndEpoch() {
        PlaneTrainer a = new PlaneTrainer(TINY, new TrainingSettings(3, 8, 0.01, 0.5, 0.5, 1.0, 1), Device.cpu());
        PlaneTrainer b = new PlaneTrainer(TINY, new TrainingSettings(3, 8, 0.01, 0.5, 0.5, 1.0, 1), Device.cpu());
        assertArrayEquals(a.shuffled(50, 2), b.shuffled(50, 2));
        assertFalse(java.util.Arrays.equals(a.shuffled(50, 1), a.shuffled(50, 2)));
        int[] sorted = a.shuffled(50, 1).clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    private static float[] flatWeights(UNet net) {
        List<Float> all = new ArrayList<>();
        for (var p : net.getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private static float[] probe(Path weights) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet net = ModelFiles.load(weights, TINY, manager);
            return net.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(VALIDATION.inputs(), new Shape(VALIDATION.count(), 1, 32, 32))), false)
                    .singletonOrThrow().toFloatArray();
        }
    }
}
