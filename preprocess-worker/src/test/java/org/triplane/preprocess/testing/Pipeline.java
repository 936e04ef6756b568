package org.triplane.preprocess.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tenants.Tenants;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.messaging.EventCodec;
import org.triplane.preprocess.service.ScanRecords;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;

/**
 * Arranges what the gateway would: objects put through the {@link StackClient}, tenant / scan / job
 * rows through the job database's stores as the schema owner, scan events and bucket notifications published
 * to Kafka.
 */
public final class Pipeline {
    private final TestStack stack;
    private final StackClient client;
    private final EventCodec codec = new EventCodec();

    public Pipeline(TestStack stack, StackClient client) {
        this.stack = stack;
        this.client = client;
    }

    public UUID tenant(String name) {
        return stack.owner().tx().run(c -> Tenants.create(c, name)).id();
    }

    /** Uploads a CT and its transform and records the scan; {@code recordedCtSha} overrides the CT checksum (poison). */
    public Scan scan(UUID tenant, Path ct, Path transform, String recordedCtSha) throws Exception {
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        client.put(ct, folder + "ct.nii.gz");
        client.put(transform, folder + "transform.txt");
        NewScan scan = scanRecord(tenant, folder, ct, transform, recordedCtSha != null ? recordedCtSha : Sha256.of(ct)).build();
        return stack.owner().tx().inTenant(tenant, c -> Scans.insert(c, scan));
    }

    /** Uploads a CT without a transform file and records the scan, as the gateway does for a scan sent without {@code N.txt}. */
    public Scan bareScan(UUID tenant, Path ct) throws Exception {
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        client.put(ct, folder + "ct.nii.gz");
        NewScan scan = NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", Sha256.of(ct), Files.size(ct)))
                .setGeometry(ScanRecords.geometry(NiftiReader.readHeader(ct).geometry()))
                .optWindow(HuWindow.BRAIN).build();
        return stack.owner().tx().inTenant(tenant, c -> Scans.insert(c, scan));
    }

    /** Like {@link #scan} with a label volume (0..20 on the CT grid) uploaded and recorded too. */
    public Scan labelledScan(UUID tenant, Path ct, Path transform, Path labels) throws Exception {
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        client.put(ct, folder + "ct.nii.gz");
        client.put(transform, folder + "transform.txt");
        client.put(labels, folder + "labels.nii.gz");
        NewScan scan = scanRecord(tenant, folder, ct, transform, Sha256.of(ct))
                .optLabels(new StoredObject(folder + "labels.nii.gz", Sha256.of(labels), Files.size(labels))).build();
        return stack.owner().tx().inTenant(tenant, c -> Scans.insert(c, scan));
    }

    private static NewScan.Builder scanRecord(UUID tenant, String folder, Path ct, Path transform, String ctSha)
            throws Exception {
        return NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", ctSha, Files.size(ct)))
                .setGeometry(ScanRecords.geometry(NiftiReader.readHeader(ct).geometry()))
                .optTransform(new StoredObject(folder + "transform.txt", Sha256.of(transform), Files.size(transform)),
                        ScanRecords.transform(ItkTransformFile.read(transform)))
                .optWindow(HuWindow.BRAIN);
    }

    public Job job(UUID tenant, List<UUID> scans) {
        return job(tenant, JobKind.SEGMENT, "{}", scans);
    }

    /** A job of any kind with the given parameters (a JSON object), as the gateway would record it. */
    public Job job(UUID tenant, JobKind kind, String parametersJson, List<UUID> scans) {
        return stack.owner().tx().inTenant(tenant, c -> Jobs.submit(c, JobRequest.builder().setTenantId(tenant)
                .setKind(kind).setRequestedBy("it").setIdempotencyKey(UUID.randomUUID().toString())
                .setCodeVersion("it").optParametersJson(parametersJson).setScanIds(scans).build())).job();
    }

    public ScanEvent event(Job job, Scan scan) {
        return new ScanEvent(ScanEvent.VERSION, UUID.randomUUID(), job.tenantId(), job.id(), scan.id(), scan.ct().key(),
                scan.transformFile() == null ? null : scan.transformFile().key(), null, scan.ct().sha256(), Instant.now());
    }

    public void publish(ScanEvent event) throws Exception {
        client.publish(Topics.SCAN_EVENTS, event.key(), codec.encode(event));
    }

    /** Publishes a MinIO-format object-created notification for {@code key} (URL-encoded in the record, as MinIO does). */
    public void publishNotification(String key) throws Exception {
        String bucket = client.bucket();
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String json = """
                {"EventName":"s3:ObjectCreated:Put","Key":"%s/%s","Records":[{"eventVersion":"2.0",
                "eventSource":"minio:s3","awsRegion":"","eventTime":"%s","eventName":"s3:ObjectCreated:Put",
                "userIdentity":{"principalId":"exporter"},"s3":{"s3SchemaVersion":"1.0","configurationId":"Config",
                "bucket":{"name":"%s","ownerIdentity":{"principalId":"exporter"},"arn":"arn:aws:s3:::%s"},
                "object":{"key":"%s","size":1,"eTag":"d41d8cd98f00b204e9800998ecf8427e","sequencer":"1"}}}]}
                """.formatted(bucket, key, Instant.now(), bucket, bucket, encoded);
        client.publish(Topics.BUCKET_NOTIFICATIONS, bucket + "/" + key, json);
    }
}
