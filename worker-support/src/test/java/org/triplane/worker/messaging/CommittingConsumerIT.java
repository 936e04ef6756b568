package org.triplane.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.triplane.testing.StackClient.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.messaging.KafkaSecurity;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;
import org.triplane.worker.config.KafkaConfig;

/**
 * The worker's consumer loop on the local stack's real Kafka: an offset is committed only once its
 * record's handler returned, a failed record is read again before the ones after it, a consumer
 * whose thread dies says so and leaves its record uncommitted for the next member of the group, and
 * the look-ahead hears of the next record before the current one is handled. Each test has its own
 * single-partition topic and group.
 */
class CommittingConsumerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static TestStack stack;
    private static StackClient client;
    private static Admin admin;

    @BeforeAll
    static void stack() throws Exception {
        stack = TestStack.start(dir);
        client = new StackClient(stack);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        admin = Admin.create(p);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aFailedRecordIsReadAgainBeforeTheNextAndEachOffsetIsCommittedOnlyAfterItsHandlerReturned() throws Exception {
        String topic = topicWith("a", "b", "c");
        String group = "group-" + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicInteger bTries = new AtomicInteger();
        AtomicLong committedWhileBRetried = new AtomicLong(-1);
        CommittingConsumer consumer = new CommittingConsumer(kafka(), group, List.of(topic), r -> {
            if (r.value().equals("b") && bTries.incrementAndGet() == 1) {
                throw new IllegalStateException("object store briefly down (test)");
            }
            if (r.value().equals("b")) {
                committedWhileBRetried.set(committed(group, topic).orElse(-1L));
            }
            handled.add(r.value());
        }, "consumer-it");
        consumer.start();
        try {
            await("a, b and c handled", TIMEOUT, () -> handled.size() == 3);
            client.awaitConsumed(group, topic, TIMEOUT);
            assertThat(consumer.assigned()).isTrue();
        } finally {
            consumer.stop();
        }
        assertThat(handled).containsExactly("a", "b", "c");
        assertThat(bTries).as("b failed once, then was read again").hasValue(2);
        assertThat(committedWhileBRetried).as("a committed, b not yet, while b was retried").hasValue(1);
        assertThat(committed(group, topic)).contains(3L);
        assertThat(consumer.died()).isNull();
    }

    @Test
    void aConsumerThreadThatDiesReportsWhyAndLeavesItsRecordToTheNextMemberOfTheGroup() throws Exception {
        String topic = topicWith("only");
        String group = "group-" + UUID.randomUUID();
        CommittingConsumer dying = new CommittingConsumer(kafka(), group, List.of(topic), r -> {
            throw new OutOfMemoryError("Java heap space (test)");
        }, "dying-it");
        dying.start();
        try {
            await("the consumer thread reported its death", TIMEOUT, () -> dying.died() != null);
        } finally {
            dying.stop();
        }
        assertThat(dying.died()).isInstanceOf(OutOfMemoryError.class).hasMessageContaining("test");
        assertThat(committed(group, topic)).as("nothing committed").isEmpty();

        List<String> handled = new CopyOnWriteArrayList<>();
        CommittingConsumer next = new CommittingConsumer(kafka(), group, List.of(topic), r -> handled.add(r.value()),
                "next-it");
        next.start();
        try {
            client.awaitConsumed(group, topic, TIMEOUT);
        } finally {
            next.stop();
        }
        assertThat(handled).containsExactly("only");
    }

    @Test
    void theLookaheadHearsOfTheNextRecordBeforeTheCurrentOneIsHandledAndEveryRecordIsHandledOnceInOrder() throws Exception {
        String topic = topicWith("a", "b", "c");
        String group = "group-" + UUID.randomUUID();
        List<String> events = new CopyOnWriteArrayList<>();
        CommittingConsumer consumer = new CommittingConsumer(kafka(), group, List.of(topic), r -> events.add("handle " + r.value()),
                "lookahead-it", (ConsumerRecord<String, String> next) -> events.add("upcoming " + next.value()));
        consumer.start();
        try {
            client.awaitConsumed(group, topic, TIMEOUT);
        } finally {
            consumer.stop();
        }
        // why these three: records published before the start arrive in one fetch, so each next one is at hand
        assertThat(events).filteredOn(e -> e.startsWith("handle")).containsExactly("handle a", "handle b", "handle c");
        assertThat(events.indexOf("upcoming b")).as("b named before a is handled").isGreaterThanOrEqualTo(0)
                .isLessThan(events.indexOf("handle a"));
        assertThat(events.indexOf("upcoming c")).as("c named before b is handled").isGreaterThanOrEqualTo(0)
                .isLessThan(events.indexOf("handle b"));
    }

    /** A new single-partition topic holding {@code values} in this order, all under one key. */
    private static String topicWith(String... values) throws Exception {
        String topic = "consumer-it-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        for (String v : values) {
            client.publish(topic, "k", v);
        }
        return topic;
    }

    /** The group's committed offset on the topic's only partition; empty when it committed none. */
    private static Optional<Long> committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return Optional.ofNullable(offsets.get(new TopicPartition(topic, 0))).map(OffsetAndMetadata::offset);
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local stack's broker, without authentication; a session short enough for a test. */
    private static KafkaConfig kafka() {
        Optional<String> none = Optional.empty();
        return new Kafka(stack.kafkaBootstrap(), Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(10),
                new NoSecurity(none, none, none, none, none));
    }

    /** {@link KafkaConfig} as values; its accessors are the interface's methods. */
    private record Kafka(String bootstrap, Duration maxPollInterval, Duration sessionTimeout, Duration requestTimeout,
                         KafkaSecurity.Settings security) implements KafkaConfig {
    }

    private record NoSecurity(Optional<String> protocol, Optional<String> saslMechanism, Optional<String> saslUsername,
                              Optional<String> saslPassword, Optional<String> truststore) implements KafkaSecurity.Settings {
    }
}
