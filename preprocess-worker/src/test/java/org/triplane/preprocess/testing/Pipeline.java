package org.triplane.preprocess.testing;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.triplane.db.HuWindow;
import org.triplane.db.Job;
import org.triplane.db.JobKind;
import org.triplane.db.JobRequest;
import org.triplane.db.JobStore;
import org.triplane.db.NewScan;
import org.triplane.db.Scan;
import org.triplane.db.StoredObject;
import org.triplane.deploy.local.StackProperties;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.messaging.EventCodec;
import org.triplane.preprocess.service.ScanRecords;
import org.triplane.preprocess.storage.Sha256;

/**
 * Arranges what the gateway would: objects put with the MinIO client, tenant / scan / job rows
 * through {@link JobStore} as the schema owner, scan events published to Kafka. Also reads results
 * back for assertions.
 */
public final class Pipeline implements AutoCloseable {
    public final JobStore store = new JobStore();
    private final TestStack stack;
    private final MinioClient s3;
    private final String bucket;
    private final KafkaProducer<String, String> producer;
    private final EventCodec codec = new EventCodec();

    public Pipeline(TestStack stack) {
        this.stack = stack;
        Properties p = stack.properties();
        this.s3 = MinioClient.builder().endpoint(p.getProperty(StackProperties.S3_ENDPOINT))
                .credentials(p.getProperty(StackProperties.S3_ACCESS_KEY), p.getProperty(StackProperties.S3_SECRET_KEY))
                .region(p.getProperty(StackProperties.S3_REGION)).build();
        this.bucket = p.getProperty(StackProperties.S3_BUCKET);
        Properties c = new Properties();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
    }

    public UUID tenant(String name) {
        return stack.owner().tx().run(c -> store.createTenant(c, name)).id();
    }

    /** Uploads a CT and its transform and records the scan; {@code recordedCtSha} overrides the CT checksum (poison). */
    public Scan scan(UUID tenant, Path ct, Path transform, String recordedCtSha) throws Exception {
        String folder = "tenants/" + tenant + "/uploads/" + UUID.randomUUID() + "/";
        put(ct, folder + "ct.nii.gz");
        put(transform, folder + "transform.txt");
        NewScan scan = NewScan.builder().setTenantId(tenant)
                .setCt(new StoredObject(folder + "ct.nii.gz", recordedCtSha != null ? recordedCtSha : Sha256.of(ct), Files.size(ct)))
                .setGeometry(ScanRecords.geometry(NiftiReader.readHeader(ct).geometry()))
                .optTransform(new StoredObject(folder + "transform.txt", Sha256.of(transform), Files.size(transform)),
                        ScanRecords.transform(ItkTransformFile.read(transform)))
                .optWindow(HuWindow.BRAIN).build();
        return stack.owner().tx().inTenant(tenant, c -> store.insertScan(c, scan));
    }

    public Job job(UUID tenant, List<UUID> scans) {
        return stack.owner().tx().inTenant(tenant, c -> store.submitJob(c, JobRequest.builder().setTenantId(tenant)
                .setKind(JobKind.SEGMENT).setRequestedBy("it").setIdempotencyKey(UUID.randomUUID().toString())
                .setCodeVersion("it").setScanIds(scans).build())).job();
    }

    public ScanEvent event(Job job, Scan scan) {
        return new ScanEvent(ScanEvent.VERSION, UUID.randomUUID(), job.tenantId(), job.id(), scan.id(), scan.ct().key(),
                scan.transformFile().key(), null, scan.ct().sha256(), Instant.now());
    }

    public void publish(ScanEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SCAN_EVENTS, event.key(), codec.encode(event))).get();
    }

    /** Publishes a MinIO-format object-created notification for {@code key} (URL-encoded in the record, as MinIO does). */
    public void publishNotification(String key) throws Exception {
        String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
        String json = """
                {"EventName":"s3:ObjectCreated:Put","Key":"%s/%s","Records":[{"eventVersion":"2.0",
                "eventSource":"minio:s3","awsRegion":"","eventTime":"%s","eventName":"s3:ObjectCreated:Put",
                "userIdentity":{"principalId":"exporter"},"s3":{"s3SchemaVersion":"1.0","configurationId":"Config",
                "bucket":{"name":"%s","ownerIdentity":{"principalId":"exporter"},"arn":"arn:aws:s3:::%s"},
                "object":{"key":"%s","size":1,"eTag":"d41d8cd98f00b204e9800998ecf8427e","sequencer":"1"}}}]}
                """.formatted(bucket, key, Instant.now(), bucket, bucket, encoded);
        producer.send(new ProducerRecord<>(Topics.BUCKET_NOTIFICATIONS, bucket + "/" + key, json)).get();
    }

    public void put(Path file, String key) throws Exception {
        s3.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
    }

    public byte[] get(String key) throws Exception {
        try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    /** Every record of a topic from the beginning (no consumer group). */
    public List<ConsumerRecord<String, String>> readAll(String topic, int partitions, Duration wait) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                boolean atEnd = true;
                for (var e : consumer.endOffsets(tps).entrySet()) {
                    atEnd &= consumer.position(e.getKey()) >= e.getValue();
                }
                if (atEnd) {
                    break;
                }
            }
        }
        return out;
    }

    /** Waits until {@code group} has committed every record of {@code topic} (nothing left unprocessed). */
    public void awaitConsumed(String group, String topic, Duration timeout) throws Exception {
        Properties c = new Properties();
        c.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(c)) {
            await(group + " caught up on " + topic, timeout, () -> {
                try {
                    var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
                    java.util.Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new java.util.HashMap<>();
                    partitions.forEach(p -> specs.put(new TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest()));
                    var ends = admin.listOffsets(specs).all().get();
                    for (var e : ends.entrySet()) {
                        var done = committed.get(e.getKey());
                        if (e.getValue().offset() > 0 && (done == null || done.offset() < e.getValue().offset())) {
                            return false;
                        }
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
