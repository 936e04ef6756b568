package org.triplane.imaging.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasLabels;
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
 * The intracranial mask on registered synthetic scans (coarse grids, so the test stays fast): a
 * plain scan with air and the template's skull, the same head with a real 1000+ HU skull, a head
 * off-centre in the field of view, a scan cut off at the vertex and a tilted one. The truth is
 * the generator's labels on the canonical grid, reached from the scan through its pose.
 */
class IntracranialMaskTest {
    private static final PhantomSpec SPEC = PhantomSpec.of(128, 128, 40, new double[] {1.8, 1.8, 4.0}, 6607L);
    private static final AtlasRegistration REGISTRATION =
            new AtlasRegistration(RegistrationSettings.builder().setThreads(2).build());

    private record Case(String name, PhantomSubject subject, Volume ct, RegistrationResult result, IntracranialMask mask) {
    }

    private static final List<Case> CASES = new ArrayList<>();

    @BeforeAll
    static void registerScans() throws RegistrationException {
        PhantomSpec.Acquisition none = PhantomSpec.Acquisition.NONE;
        PhantomSubject plain = new PhantomGenerator(SPEC, 2).generate(1);
        add("air and the template's skull", plain, plain.ct());
        add("real 1000+ HU skull", plain, realSkull(plain.ct()));
        add("off-centre by 35, −25 mm", new PhantomGenerator(SPEC.withAcquisition(none.withOffset(35, -25)), 2).generate(2), null);
        add("vertex cut 25 mm", new PhantomGenerator(SPEC.withAcquisition(none.withVertexCut(25)), 2).generate(3), null);
        add("tilt 18°", new PhantomGenerator(SPEC.withAcquisition(none.withTilt(18)), 2).generate(4), null);
    }

    private static void add(String name, PhantomSubject s, Volume ct) throws RegistrationException {
        Volume scan = ct != null ? ct : s.ct();
        RegistrationResult r = REGISTRATION.register(scan, name);
        CASES.add(new Case(name, s, scan, r, IntracranialMask.of(scan, r, IntracranialMask.Settings.defaults(2))));
    }

    /** What real scanners show and the template does not: bone far above 1000 HU, grey matter a little brighter. */
    private static Volume realSkull(Volume ct) {
        short[] src = ((VoxelBuffer.Int16) ct.voxels()).data;
        Volume out = Volume.allocate(ct.geometry(), DataType.INT16);
        short[] d = ((VoxelBuffer.Int16) out.voxels()).data;
        for (int i = 0; i < src.length; i++) {
            int hu = src[i];
            double v = hu > 150 ? 150 + 2.5 * (hu - 150) : hu > -100 && hu < 100 ? hu + 8 : hu;
            d[i] = (short) Math.max(-1024, Math.min(3071, Math.round(v)));
        }
        return out;
    }

    @Test
    void keepsAtLeast995PerMilleOfTheTrueRegionVoxels() {
        for (Case c : CASES) {
            Volume onCanonical = c.mask().onGrid(c.subject().labels().geometry(), c.subject().pose());
            long[] kept = keptOf(c.subject().labels(), onCanonical);
            assertTrue(kept[1] > 10_000, c.name() + ": premise, " + kept[1] + " region voxels");
            assertTrue(kept[0] >= 0.995 * kept[1], c.name() + ": kept " + kept[0] + " of " + kept[1] + " region voxels");
        }
    }

    @Test
    void labelsOutsideTheMaskAreZeroAfterApplyingOnEitherGrid() {
        for (Case c : CASES) {
            // rotated grid: the truth itself, through the pose
            Volume labels = copy(c.subject().labels());
            Volume onCanonical = c.mask().onGrid(labels.geometry(), c.subject().pose());
            long[] kept = keptOf(labels, onCanonical);
            long cleared = c.mask().applyTo(labels, c.subject().pose());
            assertEquals(kept[1] - kept[0], cleared, c.name() + ": cleared exactly the labelled voxels outside");
            assertOutsideIsZero(c.name() + " (rotated grid)", labels, onCanonical);

            // acquired grid: the atlas labels the registration carries there
            Volume atlasLabels = AtlasLabels.onScanGrid(c.result(), 2);
            c.mask().applyTo(atlasLabels);
            assertOutsideIsZero(c.name() + " (scan grid)", atlasLabels, c.mask().volume());
        }
    }

    @Test
    void aStoredMaskClearsTheAtlasMethodOnTheRotatedGridAsTheMaskItself() {
        for (Case c : CASES) {
            Geometry rotatedGrid = c.ct().geometry();
            Volume atlas = AtlasLabels.onGrid(c.result(), rotatedGrid, c.subject().pose(), 2);
            Volume viaTransform = copy(atlas);
            long direct = c.mask().applyTo(viaTransform, c.subject().pose());
            Volume stored = c.mask().onGrid(rotatedGrid, c.subject().pose());
            long cleared = IntracranialMask.clearOutside(stored, atlas);
            assertEquals(direct, cleared, c.name() + ": the stored mask clears what the mask clears");
            assertArrayEquals(((VoxelBuffer.UInt8) viaTransform.voxels()).data, ((VoxelBuffer.UInt8) atlas.voxels()).data, c.name());
            assertOutsideIsZero(c.name() + " (atlas method, rotated grid)", atlas, stored);
        }
        Volume other = Volume.allocate(Geometry.axisAligned(3, 3, 3, new double[] {1, 1, 1}, new double[] {0, 0, 0}), DataType.UINT8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntracranialMask.clearOutside(CASES.get(0).mask().volume(), other));
        assertTrue(e.getMessage().contains("not on the mask's grid"), e.getMessage());
    }

    @Test
    void neverIncludesAirOrBone() {
        for (Case c : CASES) {
            byte[] m = ((VoxelBuffer.UInt8) c.mask().volume().voxels()).data;
            long in = 0;
            for (int i = 0; i < m.length; i++) {
                if (m[i] != 0) {
                    in++;
                    double hu = c.ct().voxels().get(i);
                    assertTrue(hu >= -300 && hu <= 300, c.name() + ": voxel " + i + " of " + hu + " HU in the mask");
                }
            }
            assertTrue(in > 0, c.name());
            // the rotated-grid mask reads the scan trilinearly, as the rotated scan shows it
            Volume rotated = new Resampler(2).resample(c.ct(), c.subject().pose(), Interpolation.LINEAR, -1024, DataType.FLOAT32);
            byte[] mc = ((VoxelBuffer.UInt8) c.mask().onGrid(rotated.geometry(), c.subject().pose()).voxels()).data;
            for (int i = 0; i < mc.length; i++) {
                if (mc[i] != 0) {
                    double hu = rotated.voxels().get(i);
                    assertTrue(hu >= -300 && hu <= 300, c.name() + ": rotated voxel " + i + " of " + hu + " HU in the mask");
                }
            }
        }
    }

    @Test
    void scalpOutsideTheSkullIsLeftOut() {
        // premise of the check: scalp is in the HU band, so only the atlas test keeps it out
        for (Case c : CASES.subList(0, 2)) {
            IntracranialMask wide = IntracranialMask.of(c.ct(), c.result(), IntracranialMask.Settings.defaults(2).withMargin(20));
            long wideBeyond = MaskAudit.beyondBone(c.ct(), wide.volume(), c.result());
            long beyond = MaskAudit.beyondBone(c.ct(), c.mask().volume(), c.result());
            assertTrue(wideBeyond > 1000, c.name() + ": a 20 mm margin should reach the scalp, " + wideBeyond + " voxels");
            assertTrue(beyond <= wideBeyond / 1000, c.name() + ": " + beyond + " mask voxels beyond the skull");
        }
    }

    @Test
    void theMaskDoesNotDependOnTheThreadCount() {
        Case c = CASES.get(2);
        IntracranialMask one = IntracranialMask.of(c.ct(), c.result(), IntracranialMask.Settings.defaults(1));
        assertArrayEquals(((VoxelBuffer.UInt8) c.mask().volume().voxels()).data, ((VoxelBuffer.UInt8) one.volume().voxels()).data);
    }

    @Test
    void aScanOrLabelsOnAnotherGridAreRefusedNamingTheScan() {
        Case c = CASES.get(0);
        Geometry g = c.ct().geometry();
        Geometry other = Geometry.axisAligned(g.nx(), g.ny(), g.nz() - 1, g.spacing(), g.origin());
        Volume wrong = Volume.allocate(other, DataType.INT16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntracranialMask.of(wrong, c.result()));
        assertTrue(e.getMessage().startsWith(c.name() + ": the scan's grid"), e.getMessage());
        Volume labels = Volume.allocate(other, DataType.UINT8);
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> c.mask().applyTo(labels));
        assertTrue(l.getMessage().contains("not on the scan's grid"), l.getMessage());
    }

    /** {kept, all} region voxels of {@code labels} under {@code mask} (same grid). */
    private static long[] keptOf(Volume labels, Volume mask) {
        byte[] lab = ((VoxelBuffer.UInt8) labels.voxels()).data;
        byte[] m = ((VoxelBuffer.UInt8) mask.voxels()).data;
        long all = 0;
        long kept = 0;
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] != 0) {
                all++;
                kept += m[i] != 0 ? 1 : 0;
            }
        }
        return new long[] {kept, all};
    }

    private static void assertOutsideIsZero(String who, Volume labels, Volume mask) {
        byte[] lab = ((VoxelBuffer.UInt8) labels.voxels()).data;
        byte[] m = ((VoxelBuffer.UInt8) mask.voxels()).data;
        long left = 0;
        long labelled = 0;
        for (int i = 0; i < lab.length; i++) {
            labelled += lab[i] != 0 ? 1 : 0;
            left += lab[i] != 0 && m[i] == 0 ? 1 : 0;
        }
        assertTrue(labelled > 10_000, who + ": premise, " + labelled + " labelled voxels remain");
        assertEquals(0, left, who + ": labelled voxels outside the mask");
    }

    private static Volume copy(Volume v) {
        Volume out = Volume.allocate(v.geometry(), v.type());
        System.arraycopy(((VoxelBuffer.UInt8) v.voxels()).data, 0, ((VoxelBuffer.UInt8) out.voxels()).data, 0, v.voxels().length());
        return out;
    }
}
