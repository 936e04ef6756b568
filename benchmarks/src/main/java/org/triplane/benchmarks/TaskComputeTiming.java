package org.triplane.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.triplane.imaging.fusion.AcquiredGridMapper;
import org.triplane.imaging.fusion.FusedLabels;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.mask.IntracranialMask;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.infer.PlanePredictor;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.NetworkInputs;
import org.triplane.segmentation.model.UNet;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.pipeline.PlaneInference;

/**
 * The computing a scan's three plane tasks and its fusion task do besides the network and the
 * objects' transfers, timed outside the services on the scan the per-scan cost benchmark uses
 * (BENCHMARKS.md, section 19): a study-size synthetic scan ({@code PhantomSpec.study}, 512×512×110),
 * registered to the atlas affinely and deformably and given its intracranial masks and the atlas
 * method's labels as the preprocess-worker makes them (not timed).
 *
 * <p>Per plane, what the gpu-worker's plane task computes between its download and its upload
 * ({@code infer} in the task's timings): {@link PlaneInference} on an atlas-placed model grid whose atlas
 * inputs follow the deformable registration (the {@code small} U-Net, 26 input channels, randomly
 * initialised: the network's cost does not depend on its weights, and its outputs still follow the
 * atlas prior it adds), then the labels cleared outside the rotated intracranial mask. Then what the
 * fusion task computes ({@code ScanFusion}: majority vote, mask, map onto the acquired grid, mask,
 * region statistics, five confusion matrices against the scan's labels).
 *
 * <p>Each phase is timed by wall clock and by this process's CPU time (every thread: resampling pools,
 * libtorch, the collector, the compiler), the network's seconds as {@code PlanePredictor} reports them;
 * the median over {@code ROUNDS} rounds after {@code WARMUP} untimed ones is printed as one JSON line,
 * with a SHA-256 over every output (the planes' labels and confidences, the fused labels on both grids,
 * the region statistics and confusions) so that two builds can be seen to compute the same. Run it with
 * the services' JIT and collector ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}, as
 * {@code benchmarks/task-compute.sh} does).
 *
 * <p>Usage: {@code TaskComputeTiming [GRID_MM] [ROUNDS] [WARMUP] [THREADS] [SEED]} (defaults 3, 5, 2, 2,
 * 7701); THREADS is the gpu-worker's {@code resample-threads} and the fusion-worker's {@code threads}
 * (libtorch keeps its own default, the machine's cores).
 */
public final class TaskComputeTiming {
    private static final int BATCH = 8;

    private TaskComputeTiming() {
    }

    public static void main(String[] args) throws Exception {
        double gridMm = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 7701L;

        long prepareStart = System.nanoTime();
        PhantomSubject subject = new PhantomGenerator(PhantomSpec.study(seed), threads).generate(1);
        Volume ct = subject.ct();
        AffineTransform rotation = subject.pose();
        RegistrationResult affine = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build())
                .register(ct, "study phantom " + seed + "/1");
        DeformableRegistration.Outcome deformable = new DeformableRegistration(DeformableRegistration.Settings.defaults(threads))
                .refine(ct, affine);
        IntracranialMask mask = IntracranialMask.of(ct, affine, IntracranialMask.Settings.defaults(threads));
        Volume maskRotated = mask.onGrid(ct.geometry(), rotation);
        Volume maskAcquired = mask.volume();
        Volume atlasRotated = AtlasLabels.onGrid(affine, ct.geometry(), rotation, threads);
        IntracranialMask.clearOutside(maskRotated, atlasRotated);
        Resampler resampler = new Resampler(threads);
        Volume windowed = new WindowedRotation(resampler).apply(ct, rotation, Window.STUDY);
        ScanVolumes scan = ScanVolumes.unlabelled("study phantom " + seed + "/1", windowed)
                .withToAtlas(affine.scanToAtlas().compose(rotation))
                .withAtlasWarp(deformable.warp().field());
        double prepareSeconds = (System.nanoTime() - prepareStart) / 1e9;

        ModelGrid grid = ModelGrid.aspectsInAtlas(gridMm).withDeformableAtlas();
        UNetConfig config = UNetConfig.small(NetworkInputs.WINDOW_AND_ATLAS.channels());
        Path weights = Files.createTempFile("task-compute", ".params");
        Map<String, List<Double>> times = new LinkedHashMap<>();
        String digest = null;
        try {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                Engine.getInstance().setRandomSeed(1);
                UNet net = new UNet(config);
                int[] slice = grid.paddedSliceSize(Plane.AXIAL, config.depth());
                net.initialize(manager, DataType.FLOAT32, new Shape(BATCH, config.inputChannels(), slice[0], slice[1]));
                ModelFiles.save(net, weights);
            }
            PlaneVote vote = new PlaneVote(threads);
            AcquiredGridMapper mapper = new AcquiredGridMapper(threads);
            SegmentationEvaluator evaluator = new SegmentationEvaluator(threads);
            try (PlanePredictor predictor = new PlanePredictor(config, weights, Device.cpu())) {
                for (int round = 0; round < warmup + rounds; round++) {
                    Clock clock = new Clock();
                    PlaneInference inference = new PlaneInference(grid, resampler);
                    Map<Plane, PlanePrediction> planes = new LinkedHashMap<>();
                    double network = 0;
                    for (Plane plane : Plane.values()) {
                        PlaneInference.Result r = inference.infer(predictor, plane, scan, BATCH);
                        IntracranialMask.clearOutside(maskRotated, r.prediction().labels());
                        planes.put(plane, r.prediction());
                        network += r.stats().seconds();
                        clock.lap("plane_" + plane.wireName());
                    }
                    FusedLabels fused = vote.fuse(FusionMethod.MAJORITY, planes.get(Plane.AXIAL), planes.get(Plane.CORONAL),
                            planes.get(Plane.SAGITTAL));
                    IntracranialMask.clearOutside(maskRotated, fused.labels());
                    clock.lap("fuse");
                    Volume acquired = mapper.toAcquired(fused.labels(), rotation, ct.geometry());
                    IntracranialMask.clearOutside(maskAcquired, acquired);
                    clock.lap("map");
                    RegionStatistics regions = RegionStatistics.of(ct, acquired);
                    clock.lap("statistics");
                    List<ConfusionMatrix> confusions = new ArrayList<>();
                    confusions.add(evaluator.confusion(subject.labels(), fused.labels()));
                    for (PlanePrediction p : planes.values()) {
                        confusions.add(evaluator.confusion(subject.labels(), p.labels()));
                    }
                    confusions.add(evaluator.confusion(subject.labels(), atlasRotated));
                    clock.lap("metrics");
                    if (round >= warmup) {
                        clock.addTo(times);
                        times.computeIfAbsent("network_wall_s", k -> new ArrayList<>()).add(network);
                    }
                    String d = digest(planes.values(), fused, acquired, regions, confusions);
                    if (digest != null && !digest.equals(d)) {
                        throw new IllegalStateException("round " + round + " computed other outputs than the round before");
                    }
                    digest = d;
                }
            }
        } finally {
            Files.deleteIfExists(weights);
        }
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"grid_mm\":%s,\"rounds\":%d,\"warmup\":%d,\"threads\":%d,\"seed\":%d,\"prepare_s\":%.1f",
                gridMm, rounds, warmup, threads, seed, prepareSeconds));
        times.forEach((k, v) -> json.append(String.format(Locale.ROOT, ",\"%s\":%.3f", k, median(v))));
        json.append(",\"sha256\":\"").append(digest).append("\"}");
        System.out.println(json);
    }

    /** Wall and process CPU seconds of consecutive phases. */
    private static final class Clock {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final Map<String, double[]> laps = new LinkedHashMap<>();
        private long wall = System.nanoTime();
        private long cpu = os.getProcessCpuTime();

        void lap(String name) {
            long w = System.nanoTime();
            long c = os.getProcessCpuTime();
            laps.put(name, new double[] {(w - wall) / 1e9, (c - cpu) / 1e9});
            wall = w;
            cpu = c;
        }

        void addTo(Map<String, List<Double>> times) {
            double[] planes = new double[2];
            double[] fusion = new double[2];
            laps.forEach((name, t) -> {
                times.computeIfAbsent(name + "_wall_s", k -> new ArrayList<>()).add(t[0]);
                times.computeIfAbsent(name + "_cpu_s", k -> new ArrayList<>()).add(t[1]);
                double[] sum = name.startsWith("plane_") ? planes : fusion;
                sum[0] += t[0];
                sum[1] += t[1];
            });
            times.computeIfAbsent("planes_wall_s", k -> new ArrayList<>()).add(planes[0]);
            times.computeIfAbsent("planes_cpu_s", k -> new ArrayList<>()).add(planes[1]);
            times.computeIfAbsent("fusion_wall_s", k -> new ArrayList<>()).add(fusion[0]);
            times.computeIfAbsent("fusion_cpu_s", k -> new ArrayList<>()).add(fusion[1]);
        }
    }

    private static String digest(Iterable<PlanePrediction> planes, FusedLabels fused, Volume acquired, RegionStatistics regions,
                                 List<ConfusionMatrix> confusions) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (PlanePrediction p : planes) {
            sha.update(bytes(p.labels()));
            sha.update(bytes(p.confidence()));
        }
        sha.update(bytes(fused.labels()));
        sha.update(bytes(fused.support()));
        sha.update(bytes(acquired));
        sha.update(regions.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (ConfusionMatrix m : confusions) {
            for (int t = 0; t < ConfusionMatrix.CLASSES; t++) {
                for (int p = 0; p < ConfusionMatrix.CLASSES; p++) {
                    sha.update(Long.toString(m.count(t, p)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    sha.update((byte) ',');
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
