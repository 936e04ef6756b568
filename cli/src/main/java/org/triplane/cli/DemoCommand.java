package org.triplane.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.deploy.local.StackConfig;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.phantom.PhantomSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triplane demo}: the pipeline end to end on synthetic scans, with progress and a summary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the pipeline end to end on synthetic scans in the study's layout: generate the scans, "
                + "rotate and window each through its transform, cut the three planes, check that the rotated anatomy "
                + "lines up with the labels, print per-region statistics; then start the local stack, upload the scans "
                + "through the gateway and follow a segment job through preprocessing (the stack keeps running). "
                + "Writes DIR/summary.json.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "working folder (default: ${DEFAULT-VALUE})")
    Path out = Path.of("triplane-demo");

    @Option(names = "--count", paramLabel = "N", description = "synthetic scans (default: ${DEFAULT-VALUE})")
    int count = 3;

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
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        long t0 = System.nanoTime();
        PhantomSpec spec = PhantomCommand.spec(size, null, seed);
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
        StackConfig config = StackConfig.fromEnvironment().build();
        if (!PipelineDemo.servicesBuilt(config)) {
            System.err.println("[4/4] job pipeline on the local stack: skipped, the services are not built "
                    + "(run `mvn -B install -DskipTests` once)");
            return null;
        }
        System.err.println("[4/4] job pipeline on the local stack: start it, upload the scans, submit a job, preprocess");
        PipelineDemo.Result p = new PipelineDemo(System.err).run(config, imaging.directory(), imaging.files());
        System.out.printf(Locale.ROOT, "%njob %s (tenant %s): %s after %.0f s; tasks %s; %d logged transitions%n",
                p.jobId(), p.tenantId(), p.jobState(), p.seconds(), p.tasks(), p.transitions());
        System.out.printf("gateway %s (the stack keeps running: ./triplane stack status, ./triplane stack down)%n",
                p.gatewayUrl());
        return p;
    }

    private static Map<String, Object> pipelineSummary(PipelineDemo.Result p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateway", p.gatewayUrl());
        m.put("tenant", p.tenantId().toString());
        m.put("job", p.jobId().toString());
        m.put("jobState", p.jobState());
        m.put("tasks", new LinkedHashMap<>(p.tasks()));
        m.put("transitions", p.transitions());
        m.put("seconds", Math.round(p.seconds() * 10) / 10.0);
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
