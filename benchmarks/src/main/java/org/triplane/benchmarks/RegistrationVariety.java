package org.triplane.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.Matrix3;
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
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Atlas registration on synthetic scans with scanner variety ({@link PhantomSpec.Acquisition}),
 * generated and registered in-process, scans as acquired. Per scan: the carried-over atlas labels'
 * mean IoU over the 20 regions on the canonical grid, counted only where the scan has data
 * ({@code pose(p)} inside the scan grid; the ground truth is 0 elsewhere), the derived standard
 * orientation's angle from the true pose, the quality figure, the registration's seconds, or the
 * refusal. For tilted scans also the angle from the nearest rotation of the true canonical → scan
 * map ({@code polar(L⁻¹·R)}, {@code L} the tilt's shear), which is what a perfect affine fit
 * yields: a sheared head has no single true rotation.
 *
 * <p>Usage: {@code RegistrationVariety SEED [THREADS]}; one line per scan, then one per case.
 */
public final class RegistrationVariety {
    private RegistrationVariety() {
    }

    /** One kind of scan: a name, its spec and how many scans (subjects 1..count). */
    record Case(String name, PhantomSpec spec) {
    }

    /** The scan cases, two scans each; {@code seed} is shared, so case k's subject n is the same head. */
    static List<Case> cases(long seed) {
        // why: a routine head-CT field of view (230 × 230 mm in-plane, 150 mm of slices) at 0.9 × 0.9 × 2.5 mm
        double[] fov = {230, 230, 150};
        PhantomSpec base = PhantomSpec.ofField(fov, new double[] {0.9, 0.9, 2.5}, seed);
        PhantomSpec.Acquisition none = PhantomSpec.Acquisition.NONE;
        List<Case> c = new ArrayList<>();
        c.add(new Case("baseline", base));
        c.add(new Case("vertex cut 20 mm", base.withAcquisition(none.withVertexCut(20))));
        c.add(new Case("vertex cut 30 mm", base.withAcquisition(none.withVertexCut(30))));
        c.add(new Case("base cut 20 mm", base.withAcquisition(none.withBaseCut(20))));
        c.add(new Case("base cut 30 mm", base.withAcquisition(none.withBaseCut(30))));
        c.add(new Case("off-centre x +40 mm", base.withAcquisition(none.withOffset(40, 0))));
        c.add(new Case("off-centre y −40 mm", base.withAcquisition(none.withOffset(0, -40))));
        c.add(new Case("5 mm slices (0.45 in-plane)", PhantomSpec.ofField(fov, new double[] {0.45, 0.45, 5}, seed)));
        c.add(new Case("tilt 15°", base.withAcquisition(none.withTilt(15))));
        c.add(new Case("tilt −20°", base.withAcquisition(none.withTilt(-20))));
        c.add(new Case("HU offset +15", base.withAcquisition(none.withCalibration(15))));
        c.add(new Case("noise σ 12–15 HU", base.withVariation(base.variation().withNoise(12, 15))));
        return c;
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: RegistrationVariety SEED [THREADS]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int scans = 2;
        AtlasRegistration registration = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build());
        for (Case c : cases(seed)) {
            PhantomGenerator generator = new PhantomGenerator(c.spec(), threads);
            double iouSum = 0;
            double worstRot = 0;
            int refused = 0;
            for (int n = 1; n <= scans; n++) {
                PhantomSubject s = generator.generate(n);
                EulerAngles e = s.eulerAngles();
                RegistrationResult r;
                try {
                    r = registration.register(s.ct(), c.name() + " #" + n);
                } catch (RegistrationException ex) {
                    refused++;
                    System.out.printf(Locale.ROOT, "SCAN case=\"%s\" n=%d REFUSED %s%n", c.name(), n, ex.getMessage());
                    continue;
                }
                double iou = meanIoU(s, r.scanToAtlas(), threads);
                double rot = Math.toDegrees(PolarDecomposition.angleBetween(s.pose().matrix(), r.standardOrientation().matrix()));
                double[] nearest = PolarDecomposition.of(Matrix3.multiply(Matrix3.inverse(c.spec().tiltMap().matrix()),
                        s.pose().matrix())).rotation();
                double rotNearest = Math.toDegrees(PolarDecomposition.angleBetween(nearest, r.standardOrientation().matrix()));
                iouSum += iou;
                worstRot = Math.max(worstRot, rot);
                System.out.printf(Locale.ROOT, "SCAN case=\"%s\" n=%d pose_deg=%.1f/%.1f/%.1f iou=%.4f rot_err_deg=%.2f "
                                + "rot_err_nearest_deg=%.2f quality=%.4f coverage=%.3f seconds=%.2f labelled=%d%n",
                        c.name(), n, e.xDegrees(), e.yDegrees(), e.zDegrees(), iou, rot, rotNearest, r.quality(),
                        r.headCoverage(), r.seconds(), labelled(s.labels()));
            }
            System.out.printf(Locale.ROOT, "CASE case=\"%s\" mean_iou=%.4f worst_rot_err_deg=%.2f refused=%d/%d%n",
                    c.name(), scans > refused ? iouSum / (scans - refused) : Double.NaN, worstRot, refused, scans);
        }
    }

    /**
     * Mean IoU of {@code atlas(scanToAtlas(pose(p)))} against the ground truth on the canonical
     * grid, the prediction set to 0 where {@code pose(p)} leaves the scan grid (no data there).
     */
    static double meanIoU(PhantomSubject s, AffineTransform scanToAtlas, int threads) {
        Geometry g = s.labels().geometry();
        Volume predicted = Volume.allocate(g, DataType.UINT8);
        new Resampler(threads).resampleRows(Atlas.get().labels(), g, scanToAtlas.compose(s.pose()), Interpolation.NEAREST, 0,
                predicted.voxels()::setRow);
        Volume scanned = scanned(s, threads);
        byte[] p = ((VoxelBuffer.UInt8) predicted.voxels()).data;
        byte[] in = ((VoxelBuffer.UInt8) scanned.voxels()).data;
        for (int i = 0; i < p.length; i++) {
            if (in[i] == 0) {
                p[i] = 0;
            }
        }
        return new SegmentationEvaluator(threads).confusion(s.labels(), predicted).meanIoU();
    }

    /** 1 on the canonical grid where {@code pose(p)} lies inside the scan grid (the scan has data there), else 0. */
    static Volume scanned(PhantomSubject s, int threads) {
        Geometry g = s.labels().geometry();
        Volume scanned = Volume.allocate(g, DataType.UINT8);
        Volume ones = Volume.allocate(g, DataType.UINT8);
        ones.voxels().fill(1);
        new Resampler(threads).resampleRows(ones, g, s.pose(), Interpolation.NEAREST, 0, scanned.voxels()::setRow);
        return scanned;
    }

    static long labelled(Volume labels) {
        long n = 0;
        for (byte b : ((VoxelBuffer.UInt8) labels.voxels()).data) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }
}
