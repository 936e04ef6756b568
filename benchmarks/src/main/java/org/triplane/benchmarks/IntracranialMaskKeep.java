package org.triplane.benchmarks;

import java.util.List;
import java.util.Locale;
import org.triplane.imaging.mask.IntracranialMask;
import org.triplane.imaging.mask.MaskAudit;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.RegistrationException;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * How much of the true ASPECTS region voxels the {@link IntracranialMask} keeps, on the scan
 * cases of {@link RegistrationVariety} (registered in-process, scans as acquired). The truth lies
 * on the canonical grid, so the mask is taken there through the scan's pose
 * ({@link IntracranialMask#onGrid}), as a worker does for rotated outputs. Per scan: the keep rate
 * for margins 0–8 mm with the default HU band, for four HU bands at the default margin, by the
 * atlas test alone and by the HU test alone, and the mask's volume on the scan grid. Scalp: mask
 * voxels of the upper brain (atlas point more than 10 mm above the atlas brain centre) from which
 * the straight line to the registered head centre crosses bone (a sample above 300 HU): they lie
 * outside the skull.
 *
 * <p>Usage: {@code IntracranialMaskKeep SEED [THREADS]}; one line per scan.
 */
public final class IntracranialMaskKeep {
    private static final double[] MARGINS_MM = {0, 1, 2, 3, 4, 5, 6, 8};
    private static final double[] SCALP_MARGINS_MM = {0, 3, 5, 8, 12};
    private static final int[][] BANDS = {{-100, 200}, {-50, 150}, {-20, 100}, {0, 80}};

    private IntracranialMaskKeep() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: IntracranialMaskKeep SEED [THREADS]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        AtlasRegistration registration = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads).build());
        List<RegistrationVariety.Case> cases = RegistrationVariety.cases(seed);
        double worstDefault = 1;
        for (RegistrationVariety.Case c : cases) {
            PhantomGenerator generator = new PhantomGenerator(c.spec(), threads);
            for (int n = 1; n <= 2; n++) {
                PhantomSubject s = generator.generate(n);
                RegistrationResult r;
                try {
                    r = registration.register(s.ct(), c.name() + " #" + n);
                } catch (RegistrationException ex) {
                    System.out.printf(Locale.ROOT, "KEEP case=\"%s\" n=%d REFUSED %s%n", c.name(), n, ex.getMessage());
                    continue;
                }
                IntracranialMask.Settings defaults = IntracranialMask.Settings.defaults(threads);
                StringBuilder line = new StringBuilder();
                line.append(String.format(Locale.ROOT, "KEEP case=\"%s\" n=%d", c.name(), n));
                for (double m : MARGINS_MM) {
                    line.append(String.format(Locale.ROOT, " m%.0f=%.4f", m, keep(s, r, defaults.withMargin(m))));
                }
                for (int[] b : BANDS) {
                    line.append(String.format(Locale.ROOT, " band%d..%d=%.4f", b[0], b[1], keep(s, r, defaults.withHuBand(b[0], b[1]))));
                }
                double atlasOnly = keep(s, r, defaults.withHuBand(-2000, 4000));
                double huOnly = keep(s, r, defaults.withMargin(60));
                IntracranialMask mask = IntracranialMask.of(s.ct(), r, defaults);
                double[] sp = s.ct().geometry().spacing();
                double ml = mask.count() * sp[0] * sp[1] * sp[2] / 1000;
                double atDefault = keep(s, r, defaults);
                worstDefault = Math.min(worstDefault, atDefault);
                line.append(String.format(Locale.ROOT, " atlas_only=%.5f hu_only=%.5f default=%.5f mask_ml=%.0f air_or_bone_in_mask=%d",
                        atlasOnly, huOnly, atDefault, ml, MaskAudit.airOrBone(s.ct(), mask.volume())));
                for (double m : SCALP_MARGINS_MM) {
                    Volume v = IntracranialMask.of(s.ct(), r, defaults.withMargin(m)).volume();
                    line.append(String.format(Locale.ROOT, " beyond_bone_m%.0f_ml=%.2f", m,
                            MaskAudit.beyondBone(s.ct(), v, r) * sp[0] * sp[1] * sp[2] / 1000));
                }
                System.out.println(line);
            }
        }
        System.out.printf(Locale.ROOT, "KEEP worst_default=%.4f%n", worstDefault);
    }

    /** Share of the true region voxels (canonical grid) inside the mask taken through the pose. */
    static double keep(PhantomSubject s, RegistrationResult r, IntracranialMask.Settings settings) {
        Volume onCanonical = IntracranialMask.of(s.ct(), r, settings).onGrid(s.labels().geometry(), s.pose());
        byte[] truth = ((VoxelBuffer.UInt8) s.labels().voxels()).data;
        byte[] m = ((VoxelBuffer.UInt8) onCanonical.voxels()).data;
        long labelled = 0;
        long kept = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 0) {
                labelled++;
                kept += m[i];
            }
        }
        return (double) kept / labelled;
    }
}
