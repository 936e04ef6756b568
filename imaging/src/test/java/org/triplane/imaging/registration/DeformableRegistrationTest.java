package org.triplane.imaging.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The deformable stage on synthetic scans whose anatomy is the atlas under a known smooth warp: the
 * labels it carries over must agree with the ground truth better than the affine registration's.
 */
class DeformableRegistrationTest {
    /** 230 × 230 × 150 mm at 0.9 × 0.9 × 5 mm: a routine thick-slice head CT, 2 M voxels. */
    private static final PhantomSpec SPEC = PhantomSpec.of(256, 256, 30, new double[] {0.9, 0.9, 5.0}, 8209L);

    @Test
    void carriesTheAtlasCloserToTheTruthThanTheAffineMap() throws RegistrationException {
        PhantomGenerator generator = new PhantomGenerator(SPEC, 2);
        AtlasRegistration affine = new AtlasRegistration(RegistrationSettings.builder().setThreads(2).build());
        DeformableRegistration deformable = new DeformableRegistration(DeformableRegistration.Settings.defaults(2));
        for (int n = 1; n <= 2; n++) {
            PhantomSubject s = generator.generate(n);
            RegistrationResult r = affine.register(s.ct(), "subject " + n);
            DeformableRegistration.Outcome o = deformable.refine(s.ct(), r);
            double before = meanIoU(s, new AtlasWarp(r.scanToAtlas(), zeroLike(o.warp().field())));
            double after = meanIoU(s, o.warp());
            // why: the generator's warp moves control points by up to 3 mm per axis; recovering most of
            // it raises the mean IoU by 0.06–0.08 (BENCHMARKS.md, section 14); a stage that stops early,
            // follows an intensity trend or does harm gains 0.03 at most
            assertTrue(after >= before + 0.045, "subject " + n + ": mean IoU " + after + " after the deformable stage, "
                    + before + " before");
            double meanMm = meanDisplacementInBrain(o.warp().field());
            assertTrue(meanMm < 3, "mean displacement " + meanMm + " mm over the atlas brain is beyond any warp the "
                    + "generator makes (1.6 mm on average)");
            for (int l = 0; l < o.nccAfter().length; l++) {
                assertTrue(o.nccAfter()[l] >= o.nccBefore()[l], "level " + l + " lowered the objective");
            }
        }
    }

    /** Mean |d(x)| (mm) over every second atlas brain voxel on each axis. */
    private static double meanDisplacementInBrain(DisplacementField field) {
        Volume mask = Atlas.get().brainMask();
        Geometry g = mask.geometry();
        byte[] inside = ((VoxelBuffer.UInt8) mask.voxels()).data;
        double[] moved = new double[3];
        double sum = 0;
        long count = 0;
        for (int k = 0; k < g.nz(); k += 2) {
            for (int j = 0; j < g.ny(); j += 2) {
                for (int i = 0; i < g.nx(); i += 2) {
                    if (inside[i + g.nx() * (j + g.ny() * k)] == 0) {
                        continue;
                    }
                    double[] x = g.indexToPhysical(i, j, k);
                    field.displace(x, moved);
                    sum += Math.sqrt((moved[0] - x[0]) * (moved[0] - x[0]) + (moved[1] - x[1]) * (moved[1] - x[1])
                            + (moved[2] - x[2]) * (moved[2] - x[2]));
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Test
    void aZeroFieldIsTheAffineMapAndALinearFieldIsReproducedBetweenNodes() {
        DisplacementField zero = DisplacementField.zero(new double[] {-50, -60, -40}, new double[] {50, 60, 40}, 10);
        double[] p = {3.3, -17.25, 21.5};
        double[] out = new double[3];
        zero.displace(p, out);
        assertArrayEquals(p, out, 0);
        // d(x) = (0.01·x, −0.02·y + 1, 0.5): trilinear interpolation reproduces it exactly inside the grid
        int[] dims = zero.dims();
        double[] v = new double[3 * dims[0] * dims[1] * dims[2]];
        double[] o = zero.origin();
        for (int k = 0, n = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++, n++) {
                    v[3 * n] = 0.01 * (o[0] + 10 * i);
                    v[3 * n + 1] = -0.02 * (o[1] + 10 * j) + 1;
                    v[3 * n + 2] = 0.5;
                }
            }
        }
        DisplacementField linear = zero.withValues(v);
        linear.displace(p, out);
        assertArrayEquals(new double[] {p[0] + 0.01 * p[0], p[1] - 0.02 * p[1] + 1, p[2] + 0.5}, out, 1e-9);
        DisplacementField finer = linear.resampledTo(new double[] {-45, -55, -35}, 5, new int[] {19, 23, 15});
        finer.displace(p, out);
        assertArrayEquals(new double[] {p[0] + 0.01 * p[0], p[1] - 0.02 * p[1] + 1, p[2] + 0.5}, out, 1e-9);
    }

    @Test
    void aStoredFieldReadsBackTheSameAndAMalformedOneIsRefused() {
        DisplacementField f = DisplacementField.zero(new double[] {-20, -30, -10}, new double[] {20, 30, 10}, 10);
        double[] v = f.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i) * 2.5;
        }
        DisplacementField field = f.withValues(v);
        DisplacementField back = DisplacementField.fromArray(field.toArray());
        assertArrayEquals(field.values(), back.values(), 0);
        assertArrayEquals(field.origin(), back.origin(), 0);
        assertArrayEquals(field.dims(), back.dims());
        double[] broken = field.toArray();
        broken[5] = 7.5;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DisplacementField.fromArray(broken));
        double[] short_ = java.util.Arrays.copyOf(field.toArray(), field.toArray().length - 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DisplacementField.fromArray(short_));
    }

    private static DisplacementField zeroLike(DisplacementField f) {
        return f.withValues(new double[f.values().length]);
    }

    private static double meanIoU(PhantomSubject s, AtlasWarp warp) {
        Volume carried = AtlasLabels.onGrid(s.labels().geometry(), s.pose(), warp, 2);
        return new SegmentationEvaluator(2).confusion(s.labels(), carried).meanIoU();
    }
}
