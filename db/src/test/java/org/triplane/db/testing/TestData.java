package org.triplane.db.testing;

import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanTransform;
import org.triplane.db.scans.StoredObject;

/**
 * Test-data builders with realistic defaults (the study's grid: 512×512×116 at
 * 0.45×0.45×1.25 mm), so a test states only what it is about.
 */
public final class TestData {

    private TestData() {
    }

    /** @return a scan builder for {@code tenantId} with a CT, a transform and the brain window */
    public static NewScan.Builder aScan(UUID tenantId) {
        String id = UUID.randomUUID().toString();
        return NewScan.builder()
                .setTenantId(tenantId)
                .setCt(anObject("scans/" + id + "/ct.nii.gz", 30_000_000L))
                .setGeometry(new ScanGeometry(List.of(512, 512, 116), List.of(0.45, 0.45, 1.25),
                        List.of(-115.0, -115.0, -72.5), List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)))
                .optTransform(anObject("scans/" + id + "/transform.txt", 210L), new ScanTransform(
                        List.of(0.9962, -0.0872, 0.0, 0.0872, 0.9962, 0.0, 0.0, 0.0, 1.0, 1.5, -2.0, 0.0),
                        List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 5.0)))
                .optWindow(HuWindow.BRAIN);
    }

    /** @return a segment-job builder for {@code tenantId} over {@code scanIds} with a fresh key */
    public static JobRequest.Builder aJob(UUID tenantId, List<UUID> scanIds) {
        return JobRequest.builder()
                .setTenantId(tenantId)
                .setKind(JobKind.SEGMENT)
                .setRequestedBy("tp_testkey0001")
                .setIdempotencyKey("key-" + UUID.randomUUID())
                .setCodeVersion("test")
                .optParametersJson("{\"fusion\": \"vote\"}")
                .setScanIds(scanIds);
    }

    /** @return an object reference with a random checksum */
    public static StoredObject anObject(String key, long sizeBytes) {
        byte[] digest = new byte[32];
        ThreadLocalRandom.current().nextBytes(digest);
        return new StoredObject(key, HexFormat.of().formatHex(digest), sizeBytes);
    }
}
