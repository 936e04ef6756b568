package org.triplane.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triplane phantom}: synthetic scans in the study's layout, built from a real atlas. */
@Command(name = "phantom", mixinStandardHelpOptions = true,
        description = "Write synthetic head CT scans in the study's layout: N.nii.gz (int16 HU, as acquired), "
                + "N.txt (ITK transform of the head pose) and N-seg.nii.gz (ASPECTS labels lined up with the scan "
                + "rotated through N.txt), for N = 1..count. Built from a real ASPECTS atlas and CT template with a "
                + "random deformation, head size, tissue variation, noise and pose per scan.")
final class PhantomCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    Path out;

    @Option(names = "--count", paramLabel = "N", description = "number of scans (default: ${DEFAULT-VALUE})")
    int count = 1;

    @Option(names = "--seed", paramLabel = "S", description = "random seed; the same seed gives identical files (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--size", arity = "3", paramLabel = "N", description = "grid nx ny nz (default: the study's 512 512 110)")
    int[] size;

    @Option(names = "--spacing", arity = "3", paramLabel = "MM",
            description = "voxel size in mm (default: the study's 0.45 0.45 1.25, or the study's field of view divided by --size)")
    double[] spacing;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        PhantomSpec spec = spec(size, spacing, seed);
        long t0 = System.nanoTime();
        PhantomDataset.Result result = PhantomDataset.write(spec, out, count, (done, total, s) ->
                System.err.printf("phantom: [%d/%d] %s, %s, %s  (%.1f s)%n", done, total, s.ctFile(), s.transformFile(),
                        s.segFile(), (System.nanoTime() - t0) / 1e9));
        System.out.println(Json.render(summary(result)));
        return 0;
    }

    static PhantomSpec spec(int[] size, double[] spacing, long seed) {
        if (size == null && spacing == null) {
            return PhantomSpec.study(seed);
        }
        int[] n = size != null ? size : new int[] {PhantomSpec.STUDY_NX, PhantomSpec.STUDY_NY, PhantomSpec.STUDY_NZ};
        double[] s = spacing;
        if (s == null) {
            // why: a smaller grid keeps the study's field of view, so the whole head stays in it
            int[] study = {PhantomSpec.STUDY_NX, PhantomSpec.STUDY_NY, PhantomSpec.STUDY_NZ};
            double[] studySpacing = PhantomSpec.study(seed).spacing();
            s = new double[3];
            for (int i = 0; i < 3; i++) {
                s[i] = study[i] * studySpacing[i] / n[i];
            }
        }
        return PhantomSpec.of(n[0], n[1], n[2], s, seed);
    }

    static Map<String, Object> summary(PhantomDataset.Result result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directory", result.directory().toString());
        m.put("dims", new int[] {result.spec().nx(), result.spec().ny(), result.spec().nz()});
        m.put("spacing", result.spec().spacing());
        List<Object> subjects = new ArrayList<>();
        for (PhantomDataset.SubjectFiles s : result.subjects()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("ct", s.ctFile());
            e.put("transform", s.transformFile());
            e.put("labels", s.segFile());
            e.put("eulerDegrees", new double[] {round(s.eulerAngles().xDegrees()), round(s.eulerAngles().yDegrees()),
                round(s.eulerAngles().zDegrees())});
            e.put("labelledVoxels", s.labelledVoxels());
            double[] share = new double[s.labelCounts().length - 1];
            for (int l = 1; l < s.labelCounts().length; l++) {
                share[l - 1] = round(100.0 * s.labelCounts()[l] / Math.max(1, s.labelledVoxels()));
            }
            // why: the class balance a training run will see, labels 1..20 in order, percent of labelled voxels
            e.put("classSharePercent", share);
            subjects.add(e);
        }
        m.put("scans", subjects);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
