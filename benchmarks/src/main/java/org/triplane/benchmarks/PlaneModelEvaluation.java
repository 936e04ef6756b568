package org.triplane.benchmarks;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.triplane.imaging.fusion.FusedLabels;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.pipeline.PlaneInference;
import org.triplane.segmentation.pipeline.PlaneTraining;
import org.triplane.segmentation.train.TrainingOutcome;
import org.triplane.segmentation.train.TrainingSettings;

/**
 * Accuracy of the per-plane networks on held-out synthetic scans, with and without the position
 * channel, and of their fusion by both voting methods: trains each plane on {@code train} phantoms
 * (one of them held out for validation, split by scan) with the code the gpu-worker runs, predicts
 * {@code heldOut} further phantoms, and compares with their labels on the scans' own grids.
 * Prints one JSON line per (position, plane or fusion) and a table.
 *
 * <p>Arguments (all optional, {@code key=value}): {@code train=6 heldOut=3 preset=small epochs=12
 * spacing=2.0 grid=study|small seed=1 batch=8 position=both|on|off}.
 */
public final class PlaneModelEvaluation {
    private PlaneModelEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("train", "6", "heldOut", "3", "preset", "small", "epochs", "12",
                "spacing", "2.0", "grid", "study", "seed", "1", "batch", "8", "position", "both"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !a.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; known: " + a.keySet());
            }
            a.put(kv[0], kv[1]);
        }
        int trainCount = Integer.parseInt(a.get("train"));
        int heldOutCount = Integer.parseInt(a.get("heldOut"));
        long seed = Long.parseLong(a.get("seed"));
        int epochs = Integer.parseInt(a.get("epochs"));
        int batch = Integer.parseInt(a.get("batch"));
        ModelGrid grid = ModelGrid.COARSE.withSpacing(Double.parseDouble(a.get("spacing")));
        PhantomSpec spec = "study".equals(a.get("grid")) ? PhantomSpec.study(seed)
                : PhantomSpec.of(128, 128, 40, new double[] {1.8, 1.8, 3.5}, seed);
        System.out.printf(Locale.ROOT, "# machine: %d cores, threads %d; grid %s, model grid %s, preset %s, %d epochs%n",
                Runtime.getRuntime().availableProcessors(), Devices.applyThreads(), spec, grid, a.get("preset"), epochs);

        Resampler resampler = new Resampler(Runtime.getRuntime().availableProcessors());
        PhantomGenerator generator = new PhantomGenerator(spec);
        WindowedRotation rotation = new WindowedRotation(resampler);
        List<ScanVolumes> training = new ArrayList<>();
        List<ScanVolumes> heldOut = new ArrayList<>();
        for (int n = 1; n <= trainCount + heldOutCount; n++) {
            PhantomSubject s = generator.generate(n);
            ScanVolumes scan = new ScanVolumes("phantom-" + n, rotation.apply(s.ct(), s.pose(), Window.STUDY), s.labels());
            (n <= trainCount ? training : heldOut).add(scan);
        }
        List<ScanVolumes> fit = training.subList(0, trainCount - 1);
        List<ScanVolumes> validation = training.subList(trainCount - 1, trainCount);

        List<Boolean> positions = switch (a.get("position")) {
            case "on" -> List.of(true);
            case "off" -> List.of(false);
            default -> List.of(true, false);
        };
        SegmentationEvaluator evaluator = new SegmentationEvaluator(Runtime.getRuntime().availableProcessors());
        List<String> table = new ArrayList<>();
        for (boolean position : positions) {
            UNetConfig network = UNetConfig.preset(a.get("preset"), position ? 2 : 1);
            Map<Plane, List<PlanePrediction>> predictions = new EnumMap<>(Plane.class);
            for (Plane plane : Plane.values()) {
                TrainingSettings base = TrainingSettings.study(plane, epochs, seed);
                TrainingSettings settings = new TrainingSettings(epochs, batch, base.learningRate(), base.alpha(), base.beta(),
                        base.crossEntropyWeight(), seed);
                Path checkpoints = Files.createTempDirectory("plane-eval");
                long t0 = System.nanoTime();
                TrainingOutcome outcome = new PlaneTraining(grid, resampler).train(network, settings, plane, fit, validation,
                        Device.cpu(), checkpoints, r -> System.out.printf(Locale.ROOT,
                                "#   %s position=%s epoch %d: loss %.4f, validation mean IoU %.3f (%.1f s)%n", plane, position,
                                r.epoch(), r.trainTversky(), r.meanIoU(), r.seconds()));
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                ConfusionMatrix m = new ConfusionMatrix();
                List<PlanePrediction> perScan = new ArrayList<>();
                double slicesPerSecond = 0;
                try (PlanePredictor predictor = new PlanePredictor(network, outcome.weights(), Device.cpu())) {
                    PlaneInference inference = new PlaneInference(grid, resampler);
                    for (ScanVolumes scan : heldOut) {
                        PlaneInference.Result r = inference.infer(predictor, plane, scan, batch);
                        slicesPerSecond = r.stats().slicesPerSecond();
                        perScan.add(r.prediction());
                        m.add(evaluator.confusion(scan.labels(), r.prediction().labels()));
                    }
                }
                predictions.put(plane, perScan);
                table.add(line(position, plane.name(), m, trainSeconds, outcome.bestEpoch(), slicesPerSecond));
            }
            // why not LEARNED: it needs weights fitted on validation scans, which this comparison has not
            for (FusionMethod method : List.of(FusionMethod.MAJORITY, FusionMethod.CONFIDENCE)) {
                ConfusionMatrix m = new ConfusionMatrix();
                PlaneVote vote = new PlaneVote(Runtime.getRuntime().availableProcessors());
                for (int i = 0; i < heldOut.size(); i++) {
                    FusedLabels fused = vote.fuse(method, predictions.get(Plane.AXIAL).get(i),
                            predictions.get(Plane.CORONAL).get(i), predictions.get(Plane.SAGITTAL).get(i));
                    m.add(evaluator.confusion(heldOut.get(i).labels(), fused.labels()));
                }
                table.add(line(position, "FUSED_" + method.wireName().toUpperCase(Locale.ROOT), m, 0, 0, 0));
            }
        }
        System.out.println("| position channel | model | mean IoU | mean Dice | left/right confusion | training s | best epoch |");
        System.out.println("|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    private static String line(boolean position, String what, ConfusionMatrix m, double trainSeconds, int bestEpoch,
                               double slicesPerSecond) {
        System.out.printf(Locale.ROOT, "{\"position\":%s,\"model\":\"%s\",\"meanIoU\":%.4f,\"meanDice\":%.4f,"
                        + "\"leftRightConfusion\":%.5f,\"trainSeconds\":%.1f,\"bestEpoch\":%d,\"inferSlicesPerS\":%.1f}%n",
                position, what, m.meanIoU(), m.meanDice(), m.leftRightConfusionRate(), trainSeconds, bestEpoch, slicesPerSecond);
        return String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.2f %% | %s | %s |", position ? "yes" : "no", what,
                m.meanIoU(), m.meanDice(), 100 * m.leftRightConfusionRate(), trainSeconds > 0 ? String.format(Locale.ROOT, "%.0f",
                        trainSeconds) : "", bestEpoch > 0 ? Integer.toString(bestEpoch) : "");
    }
}
