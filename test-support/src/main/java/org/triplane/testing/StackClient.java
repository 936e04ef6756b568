package org.triplane.testing;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.triplane.deploy.local.StackProperties;

/**
 * A test's hands on a {@link TestStack}: objects put and read with the MinIO client, records
 * published to and read back from Kafka, and waiting for conditions.
 */
public final class StackClient implements AutoCloseable {
    private final String kafkaBootstrap;
    private final MinioClient s3;
    private final String bucket;
    private final KafkaProducer<String, String> producer;

    public StackClient(TestStack stack) {
        this(stack.properties());
    }

    /** @param p a stack's endpoints and credentials ({@code stack.properties}, see {@link StackProperties}) */
    public StackClient(Properties p) {
        this.kafkaBootstrap = p.getProperty(StackProperties.KAFKA_BOOTSTRAP);
        this.s3 = MinioClient.builder().endpoint(p.getProperty(StackProperties.S3_ENDPOINT))
                .credentials(p.getProperty(StackProperties.S3_ACCESS_KEY), p.getProperty(StackProperties.S3_SECRET_KEY))
                .region(p.getProperty(StackProperties.S3_REGION)).build();
        this.bucket = p.getProperty(StackProperties.S3_BUCKET);
        Properties c = new Properties();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
    }

    public String bucket() {
        return bucket;
    }

    public void put(Path file, String key) throws Exception {
        s3.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
    }

    public byte[] get(String key) throws Exception {
        try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    /** Whether an object exists under {@code key}. */
    public boolean exists(String key) throws Exception {
        try {
            s3.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }

    /** Publishes one record and waits for the broker's acknowledgement. */
    public void publish(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Every record of a topic from the beginning (no consumer group), read until the end offsets. */
    public List<ConsumerRecord<String, String>> readAll(String topic, Duration wait) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, wait).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
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
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        try (Admin admin = Admin.create(c)) {
            await(group + " caught up on " + topic, timeout, () -> {
                try {
                    var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
                    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                    partitions.forEach(p -> specs.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                    for (var e : admin.listOffsets(specs).all().get().entrySet()) {
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

    /**
     * Sets {@code group}'s committed offset of one partition back to {@code offset}, so that its next
     * member reads that record again: a redelivery on demand. The group must have no members (stop
     * its consumers first); waits until the broker accepts the change.
     */
    public void rewind(String group, String topic, int partition, long offset, Duration timeout) throws Exception {
        Properties c = new Properties();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        try (Admin admin = Admin.create(c)) {
            // why a wait: the broker refuses the change while a stopped member has not yet left the group
            await(group + " rewound to " + topic + "-" + partition + "@" + offset, timeout, () -> {
                try {
                    admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, partition),
                            new OffsetAndMetadata(offset))).all().get();
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /**
     * Polls {@code condition} every 200 ms, in the calling thread, until it holds; the stack tests'
     * shorthand for Awaitility's {@code await(what).atMost(timeout).until(...)}.
     */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).pollInSameThread()
                .until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
