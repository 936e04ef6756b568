package org.triplane.benchmarks;

import java.util.Locale;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.PolarDecomposition;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.RegistrationException;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * The derived standard orientation against the generator's true pose on study-grid synthetic
 * scans (512×512×110, 0.45×0.45×1.25 mm) with head poses up to ± {@code MAX_DEG} about each axis,
 * generated and registered in-process (as acquired): per scan the pose, the angle of
 * {@code R_trueᵀ·R_derived}, the carried-over mean IoU and the registration's own time.
 *
 * <p>Usage: {@code RegistrationPoses SEED COUNT MAX_DEG [THREADS]}
 */
public final class RegistrationPoses {
    private RegistrationPoses() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: RegistrationPoses SEED COUNT MAX_DEG [THREADS]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        double maxDeg = Double.parseDouble(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        PhantomSpec spec = PhantomSpec.study(seed);
        spec = spec.withVariation(spec.variation().withPose(maxDeg, 8));
        PhantomGenerator generator = new PhantomGenerator(spec, threads);
        AtlasRegistration registration = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build());
        double worst = 0;
        for (int n = 1; n <= count; n++) {
            PhantomSubject s = generator.generate(n);
            EulerAngles e = s.eulerAngles();
            RegistrationResult r;
            try {
                r = registration.register(s.ct(), "subject " + n);
            } catch (RegistrationException ex) {
                System.out.println("POSE n=" + n + " REFUSED " + ex.getMessage());
                continue;
            }
            double err = Math.toDegrees(PolarDecomposition.angleBetween(s.pose().matrix(), r.standardOrientation().matrix()));
            worst = Math.max(worst, err);
            System.out.printf(Locale.ROOT, "POSE n=%d pose_deg=%.1f/%.1f/%.1f rot_err_deg=%.2f iou=%.4f quality=%.4f seconds=%.2f%n",
                    n, e.xDegrees(), e.yDegrees(), e.zDegrees(), err, meanIoU(s, r.scanToAtlas()), r.quality(), r.seconds());
        }
        System.out.printf(Locale.ROOT, "POSE worst_rot_err_deg=%.2f%n", worst);
    }

    private static double meanIoU(PhantomSubject s, AffineTransform scanToAtlas) {
        Volume labels = Volume.allocate(s.labels().geometry(), DataType.UINT8);
        new Resampler(2).resampleRows(Atlas.get().labels(), labels.geometry(), scanToAtlas.compose(s.pose()),
                Interpolation.NEAREST, 0, labels.voxels()::setRow);
        return new SegmentationEvaluator(2).confusion(s.labels(), labels).meanIoU();
    }
}
