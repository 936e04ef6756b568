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
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.fusion.WeightedVoteFit;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.AtlasWarp;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.model.NetworkInputs;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.pipeline.PlaneInference;
import org.triplane.segmentation.pipeline.PlaneTraining;
import org.triplane.segmentation.train.ElasticDeformation;
import org.triplane.segmentation.train.TrainingOutcome;
import org.triplane.segmentation.train.TrainingSettings;

/**
 * Atlas-aware networks against the atlas method on held-out synthetic scans, in one run: every
 * scan (training and held out) is registered to the atlas as acquired ({@link AtlasRegistration}),
 * its rotated grid's map to the atlas is that registration after the scan's pose, the networks work
 * on a model grid in atlas space ({@link ModelGrid#aspectsInAtlas}) with the atlas inputs
 * ({@link NetworkInputs#WINDOW_AND_ATLAS}), and the atlas method is the atlas labels carried onto the
 * rotated grid through the same map (nearest neighbour). The four-member {@link WeightedVote} is
 * fitted on the validation scan. Prints a table: the atlas method, each plane, each fusion method
 * (mean IoU over the 20 regions, the worst region, left/right confusion).
 *
 * <p>Arguments ({@code key=value}, all optional): {@code train=8 heldOut=3 preset=small epochs=20
 * spacing=2.0 lr=0.001 batch=8 ce=1.0 seed=7001 heldOutSeed=7901 trainGrid=mid heldOutGrid=coarse
 * out=DIR elastic=0 warp=0} with grids {@code study} (512×512×110 at 0.45×0.45×1.25 mm), {@code mid} (256×256×72 at
 * 0.9×0.9×2.5 mm) and {@code coarse} (256×256×36 at 0.9×0.9×5 mm); {@code out} keeps the checkpoints; {@code elastic=P} moves each training slice's scan against the atlas by up to
 * P pixels ({@link ElasticDeformation}, control points 16 pixels apart); {@code warp=1} adds the deformable
 * registration ({@link DeformableRegistration}) to every scan: the networks' atlas channels follow it, and
 * the table gains the atlas labels carried through it.
 */
public final class AtlasAwareEvaluation {
    private AtlasAwareEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String[] kv : new String[][] {{"train", "8"}, {"heldOut", "3"}, {"preset", "small"}, {"epochs", "20"},
            {"spacing", "2.0"}, {"lr", "0.001"}, {"batch", "8"}, {"ce", "1.0"}, {"seed", "7001"}, {"heldOutSeed", "7901"},
            {"trainGrid", "mid"}, {"heldOutGrid", "coarse"}, {"out", ""}, {"elastic", "0"}, {"warp", "0"}}) {
            a.put(kv[0], kv[1]);
        }
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !a.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; known: " + a.keySet());
            }
            a.put(kv[0], kv[1]);
        }
        int epochs = Integer.parseInt(a.get("epochs"));
        int batch = Integer.parseInt(a.get("batch"));
        ModelGrid affineGrid = ModelGrid.aspectsInAtlas(Double.parseDouble(a.get("spacing")));
        ModelGrid grid = a.get("warp").equals("1") ? affineGrid.withDeformableAtlas() : affineGrid;
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "# %d cores, torch threads %d; model grid %s; preset %s, %d epochs, lr %s, batch %d,"
                + " cross-entropy weight %s; %s%n", threads, Devices.applyThreads(), grid, a.get("preset"), epochs, a.get("lr"),
                batch, a.get("ce"), a);

        Resampler resampler = new Resampler(threads);
        AtlasRegistration registration = new AtlasRegistration(RegistrationSettings.defaults());
        DeformableRegistration deformable = a.get("warp").equals("1")
                ? new DeformableRegistration(DeformableRegistration.Settings.defaults(threads)) : null;
        List<ScanVolumes> training = scans(spec(a.get("trainGrid"), Long.parseLong(a.get("seed"))),
                Integer.parseInt(a.get("train")), registration, deformable, resampler);
        List<ScanVolumes> heldOut = scans(spec(a.get("heldOutGrid"), Long.parseLong(a.get("heldOutSeed"))),
                Integer.parseInt(a.get("heldOut")), registration, deformable, resampler);
        List<ScanVolumes> fit = training.subList(0, training.size() - 1);
        List<ScanVolumes> validation = training.subList(training.size() - 1, training.size());

        SegmentationEvaluator evaluator = new SegmentationEvaluator(threads);
        List<String> table = new ArrayList<>();
        List<Volume> atlasLabels = new ArrayList<>();
        ConfusionMatrix atlas = new ConfusionMatrix();
        for (ScanVolumes scan : heldOut) {
            Volume carried = atlasLabels(scan, resampler);
            atlasLabels.add(carried);
            atlas.add(evaluator.confusion(scan.labels(), carried));
        }
        table.add(line("atlas (affine registration)", atlas, 0, 0));
        if (deformable != null) {
            ConfusionMatrix warped = new ConfusionMatrix();
            for (int i = 0; i < heldOut.size(); i++) {
                ScanVolumes scan = heldOut.get(i);
                Volume carried = AtlasLabels.onGrid(scan.grid(), null, new AtlasWarp(scan.toAtlas(), scan.atlasWarp()), threads);
                atlasLabels.set(i, carried);
                warped.add(evaluator.confusion(scan.labels(), carried));
            }
            table.add(line("atlas (affine + deformable registration)", warped, 0, 0));
        }

        UNetConfig network = UNetConfig.preset(a.get("preset"), NetworkInputs.WINDOW_AND_ATLAS.channels());
        Map<Plane, List<PlanePrediction>> predictions = new EnumMap<>(Plane.class);
        Map<Plane, PlanePrediction> onValidation = new EnumMap<>(Plane.class);
        for (Plane plane : Plane.values()) {
            TrainingSettings base = TrainingSettings.study(plane, epochs, Long.parseLong(a.get("seed")));
            TrainingSettings settings = new TrainingSettings(epochs, batch, Double.parseDouble(a.get("lr")), base.alpha(),
                    base.beta(), Double.parseDouble(a.get("ce")), base.seed());
            Path checkpoints = a.get("out").isEmpty() ? Files.createTempDirectory("atlas-aware")
                    : Files.createDirectories(Path.of(a.get("out"), plane.name().toLowerCase(Locale.ROOT)));
            long t0 = System.nanoTime();
            PlaneTraining trainer = new PlaneTraining(grid, resampler);
            double elastic = Double.parseDouble(a.get("elastic"));
            if (elastic > 0) {
                trainer = trainer.withAugmentation(new ElasticDeformation(16, elastic));
            }
            TrainingOutcome outcome = trainer.train(network, settings, plane, fit, validation,
                    Device.cpu(), checkpoints, r -> System.out.printf(Locale.ROOT,
                            "#   %s epoch %d: loss %.4f ce %.4f, validation mean IoU %.3f (%.1f s)%n", plane, r.epoch(),
                            r.trainTversky(), r.trainCrossEntropy(), r.meanIoU(), r.seconds()));
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            ConfusionMatrix m = new ConfusionMatrix();
            List<PlanePrediction> perScan = new ArrayList<>();
            try (PlanePredictor predictor = new PlanePredictor(network, outcome.weights(), Device.cpu())) {
                PlaneInference inference = new PlaneInference(grid, resampler);
                for (ScanVolumes scan : heldOut) {
                    PlaneInference.Result r = inference.infer(predictor, plane, scan, batch);
                    perScan.add(r.prediction());
                    m.add(evaluator.confusion(scan.labels(), r.prediction().labels()));
                }
                onValidation.put(plane, inference.infer(predictor, plane, validation.get(0), batch).prediction());
            }
            predictions.put(plane, perScan);
            table.add(line(plane.name().toLowerCase(Locale.ROOT), m, trainSeconds, outcome.bestEpoch()));
        }
        // why not LEARNED: it needs fitted weights, the weighted vote below
        for (FusionMethod method : List.of(FusionMethod.MAJORITY, FusionMethod.CONFIDENCE)) {
            ConfusionMatrix m = new ConfusionMatrix();
            PlaneVote vote = new PlaneVote(threads);
            for (int i = 0; i < heldOut.size(); i++) {
                FusedLabels fused = vote.fuse(method, predictions.get(Plane.AXIAL).get(i), predictions.get(Plane.CORONAL).get(i),
                        predictions.get(Plane.SAGITTAL).get(i));
                m.add(evaluator.confusion(heldOut.get(i).labels(), fused.labels()));
            }
            table.add(line("fused, " + method.wireName(), m, 0, 0));
        }
        ScanVolumes check = validation.get(0);
        WeightedVoteFit.Result fitted = WeightedVoteFit.fit(List.of(new WeightedVoteFit.Scan(onValidation.get(Plane.AXIAL),
                onValidation.get(Plane.CORONAL), onValidation.get(Plane.SAGITTAL), check.atlasWarp() != null
                        ? AtlasLabels.onGrid(check.grid(), null, new AtlasWarp(check.toAtlas(), check.atlasWarp()), threads)
                        : atlasLabels(check, resampler),
                check.labels())), 3);
        System.out.printf(Locale.ROOT, "# weighted vote fitted on the validation scan: mean IoU %.4f (equal weights %.4f; "
                + "members %s); %s%n", fitted.meanIoU(), fitted.equalWeightsMeanIoU(), java.util.Arrays.toString(fitted.memberMeanIoU()),
                fitted.vote().toJson());
        ConfusionMatrix weighted = new ConfusionMatrix();
        for (int i = 0; i < heldOut.size(); i++) {
            Volume fused = fitted.vote().fuse(predictions.get(Plane.AXIAL).get(i), predictions.get(Plane.CORONAL).get(i),
                    predictions.get(Plane.SAGITTAL).get(i), atlasLabels.get(i)).labels();
            weighted.add(evaluator.confusion(heldOut.get(i).labels(), fused));
        }
        table.add(line("fused, weighted vote with the atlas (fitted on validation)", weighted, 0, 0));
        System.out.println("| method | mean IoU | worst region IoU | left/right confusion | training s | best epoch |");
        System.out.println("|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** The atlas method: the atlas labels carried onto the scan's grid through its registration (nearest neighbour). */
    private static Volume atlasLabels(ScanVolumes scan, Resampler resampler) {
        Volume carried = Volume.allocate(scan.grid(), DataType.UINT8);
        resampler.resampleRows(Atlas.get().labels(), scan.grid(), scan.toAtlas(), Interpolation.NEAREST, 0,
                carried.voxels()::setRow);
        return carried;
    }

    static PhantomSpec spec(String name, long seed) {
        return switch (name) {
            case "study" -> PhantomSpec.study(seed);
            case "mid" -> PhantomSpec.of(256, 256, 72, new double[] {0.9, 0.9, 2.5}, seed);
            case "coarse" -> PhantomSpec.of(256, 256, 36, new double[] {0.9, 0.9, 5.0}, seed);
            default -> throw new IllegalArgumentException("grid must be study, mid or coarse, got " + name);
        };
    }

    /** Phantoms 1..count of {@code spec}: rotated and windowed, labelled, registered (rotated grid → atlas). */
    private static List<ScanVolumes> scans(PhantomSpec spec, int count, AtlasRegistration registration,
                                           DeformableRegistration deformable, Resampler resampler) throws Exception {
        PhantomGenerator generator = new PhantomGenerator(spec);
        WindowedRotation rotation = new WindowedRotation(resampler);
        List<ScanVolumes> out = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            PhantomSubject s = generator.generate(n);
            RegistrationResult r = registration.register(s.ct(), "phantom " + spec.seed() + "/" + n);
            // why: the labels and the windowed scan lie on the rotated grid, whose point p shows the acquired point pose(p)
            AffineTransform toAtlas = r.scanToAtlas().compose(s.pose());
            ScanVolumes scan = new ScanVolumes("phantom-" + spec.seed() + "-" + n, rotation.apply(s.ct(), s.pose(), Window.STUDY),
                    s.labels(), toAtlas);
            String warp = "";
            if (deformable != null) {
                DeformableRegistration.Outcome o = deformable.refine(s.ct(), r);
                scan = scan.withAtlasWarp(o.warp().field());
                warp = ", deformable " + o.summary();
            }
            out.add(scan);
            System.out.printf(Locale.ROOT, "# scan %d of %s registered, quality %.3f%s%n", n, spec, r.quality(), warp);
        }
        return out;
    }

    private static String line(String what, ConfusionMatrix m, double trainSeconds, int bestEpoch) {
        double worst = 1;
        for (int label = 1; label < ConfusionMatrix.CLASSES; label++) {
            worst = Math.min(worst, m.iou(label));
        }
        return String.format(Locale.ROOT, "| %s | %.4f | %.3f | %.2f %% | %s | %s |", what, m.meanIoU(), worst,
                100 * m.leftRightConfusionRate(), trainSeconds > 0 ? String.format(Locale.ROOT, "%.0f", trainSeconds) : "",
                bestEpoch > 0 ? Integer.toString(bestEpoch) : "");
    }
}
