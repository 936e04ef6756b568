package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.messaging.testing.ScramBroker;

/**
 * The services' Kafka security settings against a real broker that takes SCRAM-SHA-512 only
 * ({@link ScramBroker}): with the user's password the relay's producer ({@link ReliableProducer}) writes
 * and a consumer configured the same way reads the record back; with a wrong password, or with no
 * security settings at all, the broker lets nothing through.
 */
class KafkaSecurityIT {

    private static final String USER = "triplane-it";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    private static ScramBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ScramBroker.start(dir, USER, PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaSecurity.Settings scram(String password) {
        return new KafkaSecurityTest.Given(Optional.of("SASL_PLAINTEXT"), Optional.of("SCRAM-SHA-512"), Optional.of(USER),
                Optional.of(password), Optional.empty());
    }

    private static Properties admin(KafkaSecurity.Settings security) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return KafkaSecurity.apply(security, p);
    }

    @Test
    void theRightPasswordWritesAndReadsARecord() throws Exception {
        String topic = "scram-" + UUID.randomUUID();
        try (Admin a = Admin.create(admin(scram(PASSWORD)))) {
            a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (Producer<String, String> producer = ReliableProducer.create(broker.bootstrap(), "scram-it", scram(PASSWORD))) {
            producer.send(new ProducerRecord<>(topic, "key", "authenticated")).get(30, TimeUnit.SECONDS);
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "scram-it");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaSecurity.apply(scram(PASSWORD), c),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String read = null;
            while (read == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read = r.value();
                }
            }
            assertThat(read).isEqualTo("authenticated");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (Admin a = Admin.create(admin(scram(PASSWORD + "-wrong")))) {
            assertThatThrownBy(() -> a.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void noSecuritySettingsGetNoAnswer() {
        KafkaSecurity.Settings none = new KafkaSecurityTest.Given(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        Properties p = admin(none);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin a = Admin.create(p)) {
            // why: a plain client's requests are not SASL handshakes; the broker drops the connection each time
            assertThatThrownBy(() -> a.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }
}
