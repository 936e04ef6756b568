package org.triplane.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.triplane.imaging.fusion.AcquiredGridMapper;
import org.triplane.imaging.fusion.FusedLabels;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.metrics.EvaluationSummary;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Times everything the fusion step does for one scan after the planes are predicted, on a
 * study-size grid (512×512×116, 0.45×0.45×1.25 mm): the votes (majority, confidence, and the
 * learned vote of the planes and an atlas member), the metrics against a reference, writing the fused labels on the rotated grid, mapping them back to the acquired
 * grid and writing them, and the region statistics on the acquired CT.
 *
 * <p>The three plane predictions are a synthetic subject's labels with plane-typical errors: the
 * axial one with scattered wrong labels, the coronal one shifted by one voxel along x, the
 * sagittal one with some regions given the other hemisphere's label (what a sagittal network
 * that cannot see the side does), each with random confidences that are lower where wrong.
 * After {@code warmup} untimed rounds (JIT compilation), each phase is timed {@code repeats}
 * times and one JSON line of median milliseconds per phase is printed; {@code total_ms} is the
 * median of the per-round sums.
 *
 * <p>Usage: {@code FusionTiming [THREADS] [REPEATS] [WARMUP]} (defaults: all processors, 5, 2).
 */
public final class FusionTiming {
    private static final int NZ = 116;

    private FusionTiming() {
    }

    /** Phase name → median ms, in the order run, then {@code total_ms}. */
    public static Map<String, Double> run(int threads, int repeats, int warmup) throws IOException {
        PhantomSpec spec = new PhantomSpec(PhantomSpec.STUDY_NX, PhantomSpec.STUDY_NY, NZ, new double[] {0.45, 0.45, 1.25},
                PhantomSpec.DEFAULT_CENTRE_Z_MM, 1L, PhantomSpec.Variation.DEFAULT);
        PhantomSubject subject = new PhantomGenerator(spec, threads).generate(1);
        Volume truth = subject.labels();
        PlanePrediction axial = perturbed(Plane.AXIAL, truth, 11);
        PlanePrediction coronal = perturbed(Plane.CORONAL, truth, 12);
        PlanePrediction sagittal = perturbed(Plane.SAGITTAL, truth, 13);
        // why any weights: the learned vote costs the same whatever they are; the atlas member errs like the axial plane
        Volume atlas = perturbed(Plane.AXIAL, truth, 14).labels();
        double[][] w = WeightedVote.equal().weights();
        Arrays.fill(w[3], 2);
        WeightedVote learned = new WeightedVote(w);

        PlaneVote vote = new PlaneVote(threads);
        SegmentationEvaluator evaluator = new SegmentationEvaluator(threads);
        AcquiredGridMapper mapper = new AcquiredGridMapper(threads);
        Path dir = Files.createTempDirectory("fusion-timing");
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<Double> totals = new ArrayList<>();
        try {
            for (int round = 0; round < warmup + repeats; round++) {
                Round r = new Round();
                FusedLabels majority = r.time("majority_ms", () -> vote.fuse(FusionMethod.MAJORITY, axial, coronal, sagittal));
                r.time("confidence_ms", () -> vote.fuse(FusionMethod.CONFIDENCE, axial, coronal, sagittal));
                r.time("learned_ms", () -> vote.fuse(learned, axial, coronal, sagittal, atlas));
                EvaluationSummary summary = r.time("metrics_ms", () -> evaluator.evaluate(truth, majority.labels()));
                r.time("write_rotated_ms", () -> write(majority.labels(), dir.resolve("fused-rotated.nii.gz")));
                Volume acquired = r.time("map_to_acquired_ms", () -> mapper.toAcquired(majority.labels(), subject.pose()));
                r.time("write_acquired_ms", () -> write(acquired, dir.resolve("fused.nii.gz")));
                r.time("region_statistics_ms", () -> RegionStatistics.of(subject.ct(), acquired));
                if (round == 0) {
                    System.err.printf(Locale.ROOT, "majority vote IoU %.3f against the phantom's labels%n", summary.meanIoU());
                }
                if (round >= warmup) {
                    r.ms.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    totals.add(r.ms.values().stream().mapToDouble(Double::doubleValue).sum());
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        times.forEach((k, v) -> medians.put(k, median(v)));
        medians.put("total_ms", median(totals));
        return medians;
    }

    /** One timed round: each phase's wall time in ms. */
    private static final class Round {
        final Map<String, Double> ms = new LinkedHashMap<>();

        <T> T time(String phase, java.util.function.Supplier<T> work) {
            long t0 = System.nanoTime();
            T result = work.get();
            ms.put(phase, (System.nanoTime() - t0) / 1e6);
            return result;
        }
    }

    private static Path write(Volume v, Path file) {
        try {
            NiftiWriter.write(v, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The reference labels with this plane's kind of error and confidences (uint8, x fastest). */
    static PlanePrediction perturbed(Plane plane, Volume truth, long seed) {
        int nx = truth.geometry().nx();
        byte[] t = ((VoxelBuffer.UInt8) truth.voxels()).data;
        Volume labels = Volume.allocate(truth.geometry(), DataType.UINT8);
        Volume confidence = Volume.allocate(truth.geometry(), DataType.UINT8);
        byte[] l = ((VoxelBuffer.UInt8) labels.voxels()).data;
        byte[] c = ((VoxelBuffer.UInt8) confidence.voxels()).data;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.length; i++) {
            int label = t[i] & 0xFF;
            if (plane == Plane.CORONAL && i % nx > 0) {
                label = t[i - 1] & 0xFF;
            }
            boolean wrong = false;
            if (label != 0 && r.nextInt(100) < 5) {
                label = r.nextInt(AspectsRegion.CLASSES_WITH_BACKGROUND);
                wrong = true;
            } else if (plane == Plane.SAGITTAL && label != 0 && (label - 1) % 10 < 3) {
                label = AspectsRegion.swapSide(label);
                wrong = true;
            }
            l[i] = (byte) label;
            c[i] = (byte) (wrong ? 60 + r.nextInt(100) : 140 + r.nextInt(116));
        }
        return new PlanePrediction(plane, labels, confidence);
    }

    public static void main(String[] args) throws IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Map<String, Double> ms = run(threads, repeats, warmup);
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"grid\":\"%dx%dx%d\",\"threads\":%d,\"repeats\":%d,\"warmup\":%d",
                PhantomSpec.STUDY_NX, PhantomSpec.STUDY_NY, NZ, threads, repeats, warmup));
        ms.forEach((k, v) -> json.append(String.format(Locale.ROOT, ",\"%s\":%.1f", k, v)));
        System.out.println(json.append('}'));
    }
}
