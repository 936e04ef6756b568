package org.triplane.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.metrics.MetricText;
import org.triplane.imaging.phantom.PhantomSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triplane demo}: the pipeline end to end on synthetic scans, with progress and a summary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the pipeline end to end on synthetic scans in the study's layout: generate the scans, "
                + "rotate and window each through its transform, cut the three planes, check that the rotated anatomy "
                + "lines up with the labels, print per-region statistics; then start the local stack, upload the scans "
                + "with their labels through the gateway, train a model set as a TRAIN job on the first scans (atlas inputs "
                + "by default), evaluate it on the held-out scans as an EVALUATE job (preprocess, three planes, fusion), "
                + "print the per-class metrics beside the atlas method's and the report's address. The stack keeps running unless --stop is given. "
                + "Writes DIR/summary.json.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "working folder (default: ${DEFAULT-VALUE})")
    Path out = Path.of("triplane-demo");

    @Option(names = "--count", paramLabel = "N", description = "synthetic scans (default: ${DEFAULT-VALUE})")
    int count = 8;

    @Option(names = "--held-out", paramLabel = "N",
            description = "of those, scans kept out of training and segmented by the evaluate job (default: ${DEFAULT-VALUE})")
    int heldOut = 3;

    @Option(names = "--epochs", paramLabel = "N", description = "training epochs per plane (default: ${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "network preset: small, tiny or study (default: ${DEFAULT-VALUE})")
    String preset = "small";

    @Option(names = "--grid-mm", paramLabel = "MM", description = "model grid spacing in mm (default: ${DEFAULT-VALUE})")
    double gridMm = 1.5;

    @Option(names = "--inputs", paramLabel = "KIND",
            description = "what the networks take besides the window: atlas (the atlas registered to each scan; its "
                    + "grid lies in atlas space over the 20 regions), midline or window (default: ${DEFAULT-VALUE})")
    String inputs = "atlas";

    @Option(names = "--stop", description = "stop the local stack at the end")
    boolean stop;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 7;

    @Option(names = "--size", arity = "3", paramLabel = "N", description = "grid nx ny nz (default: the study's 512 512 110)")
    int[] size;

    @Option(names = "--no-stack", description = "skip the job pipeline on the local stack")
    boolean noStack;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        if (!List.of("atlas", "midline", "window").contains(inputs)) {
            throw new IllegalArgumentException("--inputs must be atlas, midline or window, got " + inputs);
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        if (!noStack && (heldOut < 1 || count - heldOut < 2)) {
            throw new IllegalArgumentException("--count " + count + " with --held-out " + heldOut + " leaves "
                    + (count - heldOut) + " scans to train on; training needs at least 2 (one is its validation scan) "
                    + "and at least 1 must be held out");
        }
        if (!noStack && !servicesBuilt()) {
            return 1;
        }
        requireDiskSpace();
        long t0 = System.nanoTime();
        PhantomSpec spec = PhantomCommand.spec(size, null, null, seed);
        ImagingDemo.Result result = new ImagingDemo(System.err, threads.threads()).run(spec, count, out);
        printTables(result);
        PipelineDemo.Result pipeline = pipeline(result);
        Map<String, Object> summary = summary(result);
        if (pipeline != null) {
            summary.put("pipeline", pipelineSummary(pipeline));
        }
        java.nio.file.Files.writeString(out.resolve("summary.json"), Json.render(summary) + "\n");
        // why: the imaging part reports its own time; this line counts the pipeline on the stack too
        System.out.printf("%nsummary: %s (%.0f s in all)%n", out.resolve("summary.json"), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private PipelineDemo.Result pipeline(ImagingDemo.Result imaging) throws Exception {
        if (noStack) {
            System.err.println("[4/4] job pipeline on the local stack: skipped (--no-stack)");
            return null;
        }
        StackConfig config = StackCommand.fromEnvironment().build();
        System.err.println("[4/4] job pipeline on the local stack: start it, upload, train a model set, evaluate it");
        PipelineDemo.Training training = new PipelineDemo.Training(count - heldOut, epochs, preset, gridMm, seed, inputs);
        PipelineDemo.Result p;
        try {
            p = new PipelineDemo(System.err).run(config, imaging.directory(), imaging.files(), training);
        } finally {
            if (stop) {
                System.err.println("      stopping the local stack (--stop)");
                new LocalStack(config, (component, message) -> System.err.printf("      %s: %s%n", component, message)).down();
            }
        }
        printMetrics(p);
        System.out.printf("%nreport (a signed link, valid for a limited time): %s%n", p.reportUrl());
        System.out.printf("train job %s, model set %s, evaluate job %s (tenant %s)%n", p.trainJobId(), p.modelSetId(),
                p.evaluateJobId(), p.tenantId());
        System.out.println(stop ? "the local stack was stopped (--stop)"
                : "gateway " + p.gatewayUrl() + " (the stack keeps running: ./triplane stack status, ./triplane stack down)");
        return p;
    }

    /**
     * Whether the services the job pipeline runs on are built; if not, says so in one line with what
     * to run. why: checked before the minutes of the imaging part, and a failure rather than a skip,
     * so that a demo without its pipeline never ends looking like a successful one.
     */
    private static boolean servicesBuilt() {
        StackConfig config = StackCommand.fromEnvironment().build();
        List<String> unbuilt = PipelineDemo.unbuiltServices(config);
        if (unbuilt.isEmpty()) {
            return true;
        }
        System.err.println("triplane: demo: the job pipeline needs services that are not built (" + String.join(", ", unbuilt)
                + "); " + config.servicesHome().map(home -> "run `mvn -B install -DskipTests` in " + home)
                        .orElse("no services home: run it from the repository or set TRIPLANE_SERVICES_HOME to it")
                + ", or pass --no-stack for the imaging part alone");
        return false;
    }

    /**
     * Refuses to start on a disk that would fill up half-way. Estimates, per study-grid scan: about
     * 50 MB in the output folder (the scan, its labels, the windowed volume) and 150 MB in the
     * stack (the uploads, the preprocessed volume, six plane predictions, the fused labels), plus
     * 1 GB for the stack's servers and libtorch's native library unpacked on the gpu-worker's first start.
     */
    private void requireDiskSpace() throws Exception {
        DiskSpace.require(out, count * 50_000_000L, "the synthetic scans of --count " + count,
                "choose a folder on another disk with --out");
        if (!noStack) {
            StackConfig config = StackCommand.fromEnvironment().build();
            DiskSpace.require(config.dataDir(), count * 150_000_000L + 1_000_000_000L,
                    "the local stack's database, topics and objects for " + count + " scans",
                    "put the stack on another disk with TRIPLANE_STACK_DIR");
        }
    }

    private static void printMetrics(PipelineDemo.Result p) {
        System.out.println();
        System.out.println("fused labels on the held-out scans, per class (voxel counts summed over scans):");
        System.out.println("label  region  side      IoU    Dice   FP/FN   reference mL  predicted mL");
        for (PipelineDemo.ClassRow r : p.fusedClasses()) {
            System.out.println(classLine(r));
        }
        System.out.println();
        PipelineDemo.DefaultSet shipped = p.defaultSet();
        System.out.println("prediction   mean IoU   left/right confusion" + (shipped == null ? ""
                : "   |   default model set: mean IoU   left/right confusion"));
        p.predictions().forEach((name, s) -> {
            PipelineDemo.Summary d = shipped == null ? null : shipped.predictions().get(name);
            System.out.printf(Locale.ROOT, "%-10s   %8.3f   %8.2f %%%s%n",
                    name.equals("ATLAS") ? "atlas only" : name.toLowerCase(Locale.ROOT), s.meanIoU(), 100 * s.leftRight(),
                    d == null ? "" : String.format(Locale.ROOT, "              %8.3f   %8.2f %%", d.meanIoU(), 100 * d.leftRight()));
        });
        if (shipped != null) {
            System.out.printf("(default model set %s, evaluate job %s: the same held-out scans, submitted naming no model "
                    + "set)%n", shipped.modelSetId(), shipped.jobId());
        }
        if (p.predictions().containsKey("ATLAS")) {
            System.out.println("(atlas only: the atlas's labels carried onto each held-out scan through its registration, "
                    + "no network)");
        }
        System.out.printf(Locale.ROOT, "%ntimes (s): %s%n", p.seconds());
    }

    /** One class of the fused table; a metric that does not exist shows as the report shows it ({@link MetricText}). */
    static String classLine(PipelineDemo.ClassRow r) {
        return String.format(Locale.ROOT, "%5d  %-6s  %-5s  %6s  %6s  %6s  %12.1f  %12.1f", r.label(),
                AspectsRegion.ofLabel(r.label()).shortName(), r.label() <= 10 ? "left" : "right", MetricText.of(r.iou(), 3),
                MetricText.of(r.dice(), 3), MetricText.of(r.fpFn(), 2), r.gtMl(), r.predMl());
    }

    private static Map<String, Object> pipelineSummary(PipelineDemo.Result p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateway", p.gatewayUrl());
        m.put("tenant", p.tenantId().toString());
        m.put("trainJob", p.trainJobId().toString());
        m.put("modelSet", p.modelSetId().toString());
        m.put("evaluateJob", p.evaluateJobId().toString());
        m.put("report", p.reportUrl());
        Map<String, Object> predictions = new LinkedHashMap<>();
        p.predictions().forEach((name, s) -> predictions.put(name.toLowerCase(Locale.ROOT),
                Map.of("meanIoU", s.meanIoU(), "leftRightConfusion", s.leftRight())));
        m.put("predictions", predictions);
        if (p.defaultSet() != null) {
            Map<String, Object> shipped = new LinkedHashMap<>();
            shipped.put("modelSet", p.defaultSet().modelSetId().toString());
            shipped.put("evaluateJob", p.defaultSet().jobId().toString());
            Map<String, Object> byPrediction = new LinkedHashMap<>();
            p.defaultSet().predictions().forEach((name, s) -> byPrediction.put(name.toLowerCase(Locale.ROOT),
                    Map.of("meanIoU", s.meanIoU(), "leftRightConfusion", s.leftRight())));
            shipped.put("predictions", byPrediction);
            m.put("defaultModelSet", shipped);
        }
        List<Object> classes = new ArrayList<>();
        for (PipelineDemo.ClassRow r : p.fusedClasses()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("label", r.label());
            c.put("tp", r.counts().tp());
            c.put("fp", r.counts().fp());
            c.put("fn", r.counts().fn());
            c.put("iou", r.iou());
            c.put("dice", r.dice());
            classes.add(c);
        }
        m.put("fusedClasses", classes);
        m.put("seconds", new LinkedHashMap<>(p.seconds()));
        return m;
    }

    private static void printTables(ImagingDemo.Result r) {
        System.out.println();
        System.out.println("scan  pose Rz·Ry·Rx (deg)      regional HU misfit vs atlas (HU)   planes (slices×H×W, padded)");
        System.out.println("                               rotated    as acquired");
        for (ImagingDemo.ScanReport s : r.scans()) {
            System.out.printf(Locale.ROOT, "%4d  %6.1f %6.1f %6.1f      %6.2f     %6.2f            %s%n", s.number(),
                    s.eulerDegrees()[0], s.eulerDegrees()[1], s.eulerDegrees()[2],
                    s.misfitRotatedHu(), s.misfitAsAcquiredHu(), String.join(", ", s.planeShapes()));
        }
        System.out.println();
        System.out.println("region      left: mL   mean HU  median HU     right: mL   mean HU  median HU   (rotated CT, all scans)");
        for (int l = 1; l <= 10; l++) {
            double[] left = pooled(r, l);
            double[] right = pooled(r, l + 10);
            System.out.printf(Locale.ROOT, "%-6s   %10.1f  %8.1f  %9.0f    %10.1f  %8.1f  %9.0f%n", AspectsRegion.ofLabel(l).shortName(),
                    left[0], left[1], left[2], right[0], right[1], right[2]);
        }
    }

    /** Mean volume (mL), count-weighted mean HU and mean of medians of a label over all scans. */
    private static double[] pooled(ImagingDemo.Result r, int label) {
        double ml = 0;
        double sum = 0;
        long n = 0;
        double medians = 0;
        for (ImagingDemo.ScanReport s : r.scans()) {
            ml += s.regions().volumes()[label];
            long c = s.regions().counts()[label];
            if (c > 0) {
                sum += s.regions().means()[label] * c;
                n += c;
                medians += s.regions().medians()[label];
            }
        }
        int scans = r.scans().size();
        return new double[] {ml / scans, n == 0 ? Double.NaN : sum / n, medians / scans};
    }

    private static Map<String, Object> summary(ImagingDemo.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directory", r.directory().toString());
        m.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        List<Object> scans = new ArrayList<>();
        for (ImagingDemo.ScanReport s : r.scans()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("scan", s.number());
            e.put("eulerDegrees", s.eulerDegrees());
            e.put("regionalHuMisfitRotated", s.misfitRotatedHu());
            e.put("regionalHuMisfitAsAcquired", s.misfitAsAcquiredHu());
            e.put("windowed", s.windowedFile());
            e.put("planes", s.planeShapes());
            e.put("regionVolumesMl", s.regions().volumes());
            e.put("regionMeanHu", s.regions().means());
            scans.add(e);
        }
        m.put("scans", scans);
        return m;
    }
}
