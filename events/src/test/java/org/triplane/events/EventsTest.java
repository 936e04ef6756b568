package org.triplane.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.plane.Plane;

class EventsTest {
    @Test
    void notificationKeysAreUrlDecoded() {
        // as MinIO sends a key with spaces, a plus sign and a non-ASCII character
        assertEquals("incoming/scan 1+2/Å.nii.gz", ObjectKeys.decodeNotificationKey("incoming/scan+1%2B2/%C3%85.nii.gz"));
    }

    @Test
    void objectKeysAreDeterministicAndPerTenant() {
        UUID t = UUID.randomUUID();
        UUID s = UUID.randomUUID();
        assertEquals(ObjectKeys.ct(t, s), ObjectKeys.ct(t, s));
        assertTrue(ObjectKeys.ct(t, s).startsWith("tenants/" + t + "/scans/" + s + "/"));
        assertNotEquals(ObjectKeys.ct(t, s), ObjectKeys.ct(UUID.randomUUID(), s));
    }

    @Test
    void planeTasksOfOneScanHaveDistinctKeys() {
        UUID scan = UUID.randomUUID();
        Set<String> keys = new HashSet<>();
        for (Plane p : Plane.values()) {
            keys.add(new PlaneTask(1, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), scan, UUID.randomUUID(), p,
                    "k", new int[] {1, 1, 1}, new double[] {1, 1, 1}, new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                    -124, 130, Instant.now()).key());
        }
        assertEquals(3, keys.size());
    }

    @Test
    void perJobOutputsAreSeparatedByJobScanAndPlane() {
        UUID t = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        Set<String> keys = new HashSet<>();
        for (Plane p : Plane.values()) {
            keys.add(ObjectKeys.planeLabels(t, job, scan, p));
            keys.add(ObjectKeys.planeConfidence(t, job, scan, p));
        }
        keys.add(ObjectKeys.atlasLabels(t, job, scan));
        keys.add(ObjectKeys.atlasLabelsAcquired(t, job, scan));
        keys.add(ObjectKeys.fusedLabelsRotated(t, job, scan));
        keys.add(ObjectKeys.fusedLabelsAcquired(t, job, scan));
        assertEquals(10, keys.size());
        // the atlas method sits beside the planes' predictions
        assertEquals(ObjectKeys.planeLabels(t, job, scan, Plane.AXIAL).replace("/axial/", "/atlas/"),
                ObjectKeys.atlasLabels(t, job, scan));
        // a scan's masks are per scan (both grids), apart from its other objects
        assertNotEquals(ObjectKeys.intracranialMaskRotated(t, scan), ObjectKeys.intracranialMaskAcquired(t, scan));
        assertTrue(ObjectKeys.intracranialMaskRotated(t, scan).startsWith(ObjectKeys.scanFolder(t, scan)));
        assertTrue(ObjectKeys.planeLabels(t, job, scan, Plane.SAGITTAL).startsWith("tenants/" + t + "/jobs/" + job + "/"));
        assertNotEquals(ObjectKeys.planeLabels(t, job, scan, Plane.AXIAL),
                ObjectKeys.planeLabels(t, UUID.randomUUID(), scan, Plane.AXIAL));
    }

    @Test
    void volumesWorkersPassEachOtherAreVolumeObjectsWithTheirLegacyNiftiKeyBeside() {
        UUID t = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID scan = UUID.fromString("00000000-0000-0000-0000-000000000003");
        String folder = "tenants/" + t + "/scans/" + scan + "/";
        assertEquals(folder + "preprocessed/windowed-u8.tpvol", ObjectKeys.preprocessed(t, scan));
        assertEquals(folder + "preprocessed/intracranial-mask.tpvol", ObjectKeys.intracranialMaskRotated(t, scan));
        assertEquals(folder + "registration/intracranial-mask.tpvol", ObjectKeys.intracranialMaskAcquired(t, scan));
        // why these exact keys: where the version before volume objects stored them, read during an upgrade
        assertEquals(folder + "preprocessed/windowed-u8.nii.gz", ObjectKeys.legacyNifti(ObjectKeys.preprocessed(t, scan)));
        assertEquals(folder + "preprocessed/intracranial-mask.nii.gz",
                ObjectKeys.legacyNifti(ObjectKeys.intracranialMaskRotated(t, scan)));
        assertEquals(folder + "registration/intracranial-mask.nii.gz",
                ObjectKeys.legacyNifti(ObjectKeys.intracranialMaskAcquired(t, scan)));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.legacyNifti(ObjectKeys.ct(t, scan)), "a user's volume");
    }

    @Test
    void aLabelTableSitsBesideItsVolumeUnderTheVolumesName() {
        UUID t = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID job = UUID.fromString("00000000-0000-0000-0000-000000000002");
        UUID scan = UUID.fromString("00000000-0000-0000-0000-000000000003");
        assertEquals("tenants/" + t + "/jobs/" + job + "/scans/" + scan + "/fused/labels-acquired.ctbl",
                ObjectKeys.labelTable(ObjectKeys.fusedLabelsAcquired(t, job, scan), ".ctbl"));
        assertEquals("tenants/" + t + "/jobs/" + job + "/scans/" + scan + "/planes/atlas/labels.itksnap.txt",
                ObjectKeys.labelTable(ObjectKeys.atlasLabels(t, job, scan), ".itksnap.txt"));
        assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.labelTable(ObjectKeys.transform(t, scan), ".ctbl"), "not a volume");
        assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.labelTable(ObjectKeys.atlasLabels(t, job, scan), "ctbl"), "no dot");
        assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.labelTable(ObjectKeys.atlasLabels(t, job, scan), "./../x"), "another folder");
    }

    @Test
    void planeResultsOfOneScanShareAKeyAndTrainTasksOfOneJobDoNot() {
        UUID scan = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        Set<String> resultKeys = new HashSet<>();
        Set<String> trainKeys = new HashSet<>();
        for (Plane p : Plane.values()) {
            resultKeys.add(new PlaneResult(1, UUID.randomUUID(), UUID.randomUUID(), job, scan, UUID.randomUUID(), p,
                    UUID.randomUUID(), "l", "c", Instant.now()).key());
            trainKeys.add(new TrainTask(1, UUID.randomUUID(), UUID.randomUUID(), job, UUID.randomUUID(), p, Instant.now()).key());
        }
        assertEquals(1, resultKeys.size());
        assertEquals(3, trainKeys.size());
    }

    @Test
    void trainTasksOfOneJobKeyEachFoldAndPlaneApartAndKeepTheOldKeyWithoutFolds() {
        UUID job = UUID.randomUUID();
        Set<String> keys = new HashSet<>();
        for (int fold = 1; fold <= 2; fold++) {
            for (Plane p : Plane.values()) {
                keys.add(new TrainTask(1, UUID.randomUUID(), UUID.randomUUID(), job, UUID.randomUUID(), p, Instant.now(), fold)
                        .key());
            }
        }
        assertEquals(6, keys.size());
        assertTrue(keys.contains(job + ":coronal:fold2"));
        TrainTask withoutFold = new TrainTask(1, UUID.randomUUID(), UUID.randomUUID(), job, UUID.randomUUID(),
                Plane.AXIAL, Instant.now());
        assertEquals(null, withoutFold.fold());
        assertEquals(job + ":axial", withoutFold.key());
        assertThrows(IllegalArgumentException.class, () -> new TrainTask(1, UUID.randomUUID(), UUID.randomUUID(), job,
                UUID.randomUUID(), Plane.AXIAL, Instant.now(), 0));
    }

    @Test
    void foldCheckpointsAreApartFromEachOtherAndFromAJobWithoutFolds() {
        UUID t = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        Set<String> keys = new HashSet<>();
        keys.add(ObjectKeys.trainingCheckpoints(t, job, Plane.AXIAL));
        keys.add(ObjectKeys.trainingCheckpoints(t, job, Plane.AXIAL, 1));
        keys.add(ObjectKeys.trainingCheckpoints(t, job, Plane.AXIAL, 2));
        assertEquals(3, keys.size());
        assertEquals("tenants/" + t + "/jobs/" + job + "/training/axial/checkpoint/", ObjectKeys.trainingCheckpoints(t, job, Plane.AXIAL));
        assertEquals("tenants/" + t + "/jobs/" + job + "/training/fold-2/axial/checkpoint/",
                ObjectKeys.trainingCheckpoints(t, job, Plane.AXIAL, 2));
        // why: a prefix of one fold's folder must not list another fold's (or the foldless) objects
        for (String a : keys) {
            for (String b : keys) {
                assertTrue(a.equals(b) || !b.startsWith(a), a + " is a prefix of " + b);
            }
        }
    }

    @Test
    void unknownSchemaVersionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ScanEvent(2, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), "a", "b", null, "00", Instant.now()));
    }

    @Test
    void planeWireNames() {
        assertEquals("sagittal", Plane.SAGITTAL.wireName());
        assertEquals(Plane.CORONAL, Plane.fromWireName("coronal"));
    }
}
