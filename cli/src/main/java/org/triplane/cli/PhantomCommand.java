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
                + "random deformation, head size, tissue variation, noise and pose per scan. Scanner variety: "
                + "--spacing with --fov (e.g. --spacing 0.4 0.4 1 --fov 230 230 150, or 1 1 5), --head-offset, "
                + "--vertex-cut or --base-cut, --tilt, --hu-offset and --noise; without them the scans are the "
                + "same as before these options existed.")
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

    @Option(names = "--fov", arity = "3", paramLabel = "MM",
            description = "field of view in mm along x, y, z; with --spacing the grid size is fov / spacing (instead of --size)")
    double[] fov;

    @Option(names = "--head-offset", arity = "2", paramLabel = "MM",
            description = "move the head within the field of view by x y mm (LPS: +x patient left, +y posterior)")
    double[] headOffset;

    @Option(names = "--vertex-cut", paramLabel = "MM",
            description = "place the head so that the top MM of the brain lie above the highest slice")
    double vertexCut;

    @Option(names = "--base-cut", paramLabel = "MM",
            description = "place the head so that the lowest MM of the brain lie below the lowest slice")
    double baseCut;

    @Option(names = "--tilt", paramLabel = "DEG",
            description = "gantry tilt in degrees (−30..30): the anatomy is sheared in the y–z plane on an axis-aligned grid, "
                    + "as a tilted acquisition reads when the converter's shear is dropped")
    double tilt;

    @Option(names = "--hu-offset", paramLabel = "HU", description = "scanner calibration: HU added to every tissue voxel")
    double huOffset;

    @Option(names = "--noise", arity = "2", paramLabel = "HU",
            description = "range of the Gaussian noise σ inside the head, MIN MAX in HU (default: 3 6)")
    double[] noise;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        PhantomSpec spec = spec(size, spacing, fov, seed).withAcquisition(acquisition());
        if (noise != null) {
            spec = spec.withVariation(spec.variation().withNoise(noise[0], noise[1]));
        }
        long t0 = System.nanoTime();
        PhantomDataset.Result result = PhantomDataset.write(spec, out, count, (done, total, s) ->
                System.err.printf("phantom: [%d/%d] %s, %s, %s  (%.1f s)%n", done, total, s.ctFile(), s.transformFile(),
                        s.segFile(), (System.nanoTime() - t0) / 1e9));
        System.out.println(Json.render(summary(result)));
        return 0;
    }

    PhantomSpec.Acquisition acquisition() {
        PhantomSpec.Acquisition a = PhantomSpec.Acquisition.NONE.withTilt(tilt).withCalibration(huOffset);
        if (headOffset != null) {
            a = a.withOffset(headOffset[0], headOffset[1]);
        }
        if (vertexCut != 0 && baseCut != 0) {
            throw new IllegalArgumentException("--vertex-cut and --base-cut both decide the head's height: give one");
        }
        return vertexCut != 0 ? a.withVertexCut(vertexCut) : (baseCut != 0 ? a.withBaseCut(baseCut) : a);
    }

    static PhantomSpec spec(int[] size, double[] spacing, double[] fov, long seed) {
        if (fov != null) {
            if (size != null) {
                throw new IllegalArgumentException("--fov and --size both set the grid size: give one");
            }
            double[] s = spacing != null ? spacing : PhantomSpec.study(seed).spacing();
            return PhantomSpec.ofField(fov, s, seed);
        }
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
        PhantomSpec.Acquisition a = result.spec().acquisition();
        if (!a.equals(PhantomSpec.Acquisition.NONE)) {
            Map<String, Object> acq = new LinkedHashMap<>();
            acq.put("headOffsetMm", new double[] {a.offsetXMm(), a.offsetYMm()});
            acq.put("vertexCutMm", a.vertexCutMm());
            acq.put("baseCutMm", a.baseCutMm());
            acq.put("tiltDegrees", a.tiltDeg());
            acq.put("calibrationHu", a.calibrationHu());
            m.put("acquisition", acq);
        }
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
