package org.triplane.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.triplane.imaging.mask.IntracranialMask;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.Volume;

/**
 * CPU seconds of each imaging step a preprocess task runs on a study-size scan (512×512×110 int16,
 * {@link PhantomSpec#study}), in the order the preprocess-worker runs them: the affine atlas
 * registration, its deformable stage, the intracranial mask on the acquired and the rotated grid,
 * the atlas labels on both grids, and the windowed rotation. Object transfers and NIfTI coding are
 * not in it (section 19's cost run has them).
 *
 * <p>CPU time is the whole JVM's (every worker thread, the collector and the compilers), read
 * before and after each step: run it with the services' JVM options to see what a worker spends.
 *
 * <p>Usage: {@code PreprocessSteps SEED COUNT [THREADS]}; one line per scan, then the means.
 */
public final class PreprocessSteps {
    private PreprocessSteps() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        PhantomGenerator generator = new PhantomGenerator(PhantomSpec.study(seed), threads);
        AtlasRegistration affine = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build());
        DeformableRegistration deformable = new DeformableRegistration(DeformableRegistration.Settings.defaults(threads));
        WindowedRotation rotation = new WindowedRotation(new Resampler(threads));
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int n = 1; n <= count; n++) {
            PhantomSubject s = generator.generate(n);
            Volume ct = s.ct();
            Steps steps = new Steps();
            RegistrationResult r = affine.register(ct, "scan " + n);
            steps.lap("affine");
            deformable.refine(ct, r);
            steps.lap("deformable");
            IntracranialMask mask = IntracranialMask.of(ct, r, IntracranialMask.Settings.defaults(threads));
            Volume maskRotated = mask.onGrid(ct.geometry(), r.standardOrientation());
            steps.lap("masks");
            Volume atlasRotated = AtlasLabels.onGrid(r, ct.geometry(), r.standardOrientation(), threads);
            Volume atlasAcquired = AtlasLabels.onScanGrid(r, threads);
            IntracranialMask.clearOutside(maskRotated, atlasRotated);
            IntracranialMask.clearOutside(mask.volume(), atlasAcquired);
            steps.lap("atlas_labels");
            rotation.apply(ct, r.standardOrientation(), Window.STUDY);
            steps.lap("rotate_window");
            System.out.println("SCAN n=" + n + steps.line());
            steps.seconds.forEach((k, v) -> sums.merge(k, v, Double::sum));
        }
        StringBuilder mean = new StringBuilder("MEAN");
        double all = 0;
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            mean.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), e.getValue() / count));
            all += e.getValue() / count;
        }
        System.out.println(mean.append(String.format(Locale.ROOT, " all=%.2f CPU s per scan", all)));
    }

    /** CPU seconds between laps, by step. */
    private static final class Steps {
        final Map<String, Double> seconds = new LinkedHashMap<>();
        private long last = JvmCpu.nanos();

        void lap(String step) {
            long now = JvmCpu.nanos();
            seconds.put(step, (now - last) / 1e9);
            last = now;
        }

        String line() {
            StringBuilder s = new StringBuilder();
            seconds.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s=%.2f", k, v)));
            return s.toString();
        }
    }
}
