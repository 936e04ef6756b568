package org.triplane.benchmarks;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.triplane.client.modelset.ModelSetFolder;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.infer.BatchSizing;
import org.triplane.segmentation.infer.Devices;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.infer.Precision;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.pipeline.PlaneInference;

/**
 * One scan's latency on the path the workers take, without the stack's messaging and storage: a
 * synthetic scan on the study's grid (512 × 512 × 110 at 0.45 × 0.45 × 1.25 mm) is rotated and
 * windowed and registered to the atlas, affine then deformable (the preprocess-worker's work, on the
 * CPU), then each plane's network of the shipped model set ({@code models/default}) runs over its
 * slices on DEVICE in PRECISION and its labels go back to the scan's grid (three plane tasks on one
 * gpu-worker, one after the other), and the three are fused by majority vote (the fusion-worker's
 * vote). Not included: uploads and downloads, the intracranial mask, the database and Kafka, and the
 * fused labels' trip to the acquired grid. Every plane runs once before the timed pass (a worker is a
 * long-running process: JIT, cuDNN's algorithm choice), and only the timed pass is reported.
 *
 * <p>Usage: {@code ScanLatency DEVICE PRECISION BATCH [THREADS] [SEED] [MODEL_SET_FOLDER]}: DEVICE cpu
 * or cuda:N; PRECISION float32 or float16; BATCH a number, or {@code auto} on a GPU (the gpu-worker's
 * rule). Prints one JSON line.
 */
public final class ScanLatency {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScanLatency() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ScanLatency DEVICE PRECISION BATCH [THREADS] [SEED] [MODEL_SET_FOLDER]");
            System.exit(2);
        }
        Device device = Devices.parse(args[0]);
        Precision precision = Precision.parse(args[1]);
        int threads = Devices.applyThreads(args.length > 3 ? Integer.parseInt(args[3]) : Devices.threads());
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 70_001L;
        ModelSetFolder.Folder set = ModelSetFolder.read(Path.of(args.length > 5 ? args[5] : "models/default"));
        Resampler resampler = new Resampler(threads);

        long t0 = System.nanoTime();
        PhantomSubject s = new PhantomGenerator(PhantomSpec.study(seed), threads).generate(1);
        long t1 = System.nanoTime();
        RegistrationResult affine = new AtlasRegistration(RegistrationSettings.defaults()).register(s.ct(), "study phantom " + seed);
        ScanVolumes scan = ScanVolumes.unlabelled("study-phantom-" + seed,
                        new WindowedRotation(resampler).apply(s.ct(), s.pose(), Window.STUDY))
                .withToAtlas(affine.scanToAtlas().compose(s.pose())) // why: the rotated grid's point p shows the acquired pose(p)
                .withAtlasWarp(new DeformableRegistration(DeformableRegistration.Settings.defaults(threads))
                        .refine(s.ct(), affine).warp().field());
        long t2 = System.nanoTime();

        Map<Plane, PlanePredictor> predictors = new LinkedHashMap<>();
        Map<Plane, ModelGrid> grids = new LinkedHashMap<>();
        for (ModelSetFolder.PlaneModel m : set.manifest().planes()) {
            Plane plane = Plane.valueOf(m.plane().toUpperCase(Locale.ROOT));
            Path weights = set.weights().get(m.plane());
            predictors.put(plane, new PlanePredictor(ModelFiles.readConfig(weights), weights, device, precision));
            grids.put(plane, grid(m));
        }
        long t3 = System.nanoTime();
        try {
            Map<Plane, Integer> batches = new LinkedHashMap<>();
            for (Plane plane : predictors.keySet()) {
                UNetConfig config = predictors.get(plane).config();
                int[] slice = grids.get(plane).paddedSliceSize(plane, config.depth());
                batches.put(plane, args[2].equalsIgnoreCase("auto")
                        ? BatchSizing.onGpu(device, config, slice[0], slice[1], precision, BatchSizing.DEFAULT_CEILING)
                        : Integer.parseInt(args[2]));
                infer(plane, predictors, grids, resampler, scan, batches.get(plane)); // warm-up
            }
            long t4 = System.nanoTime();
            Map<Plane, PlaneInference.Result> results = new LinkedHashMap<>();
            StringBuilder planes = new StringBuilder();
            for (Plane plane : predictors.keySet()) {
                long p0 = System.nanoTime();
                PlaneInference.Result r = infer(plane, predictors, grids, resampler, scan, batches.get(plane));
                results.put(plane, r);
                planes.append(String.format(Locale.ROOT, "%s\"%s\":{\"slices\":%d,\"batch\":%d,\"network_s\":%.3f,"
                                + "\"network_slices_per_s\":%.2f,\"plane_s\":%.3f}", planes.length() == 0 ? "" : ",",
                        plane.name().toLowerCase(Locale.ROOT), r.stats().slices(), r.stats().batchSize(), r.stats().seconds(),
                        r.stats().slicesPerSecond(), (System.nanoTime() - p0) / 1e9));
            }
            long t5 = System.nanoTime();
            new PlaneVote(threads).fuse(FusionMethod.MAJORITY, results.get(Plane.AXIAL).prediction(),
                    results.get(Plane.CORONAL).prediction(), results.get(Plane.SAGITTAL).prediction());
            long t6 = System.nanoTime();
            System.out.println(String.format(Locale.ROOT,
                    "{\"device\":\"%s\",\"precision\":\"%s\",\"threads\":%d,\"scan\":\"%dx%dx%d\",\"phantom_s\":%.3f,"
                            + "\"preprocess_s\":%.3f,\"load_models_s\":%.3f,\"warmup_s\":%.3f,\"planes\":{%s},\"inference_s\":%.3f,"
                            + "\"fusion_s\":%.3f,\"scan_latency_s\":%.3f}",
                    Devices.describe(device), precision.wireName(), threads, scan.grid().nx(), scan.grid().ny(),
                    scan.grid().nz(), s(t1 - t0), s(t2 - t1), s(t3 - t2), s(t4 - t3), planes, s(t5 - t4), s(t6 - t5),
                    s(t2 - t1) + s(t5 - t4) + s(t6 - t5)));
        } finally {
            predictors.values().forEach(PlanePredictor::close);
        }
    }

    private static PlaneInference.Result infer(Plane plane, Map<Plane, PlanePredictor> predictors, Map<Plane, ModelGrid> grids,
                                               Resampler resampler, ScanVolumes scan, int batch) {
        return new PlaneInference(grids.get(plane), resampler).infer(predictors.get(plane), plane, scan, batch);
    }

    /** The model grid a plane's network was trained on, from its hyper-parameters' {@code grid} object. */
    private static ModelGrid grid(ModelSetFolder.PlaneModel m) throws Exception {
        JsonNode grid = JSON.readTree(m.hyperParametersJson()).path("grid");
        Map<String, Object> map = new LinkedHashMap<>();
        grid.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asDouble()));
        return ModelGrid.fromMap(map);
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
