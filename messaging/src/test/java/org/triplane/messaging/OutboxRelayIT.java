package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.JobStore;
import org.triplane.db.OutboxEntry;
import org.triplane.db.Roles;
import org.triplane.db.Tx;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.messaging.testing.RealStack;

/** The relay against a real PostgreSQL and a real Kafka broker from the local stack. */
class OutboxRelayIT {

    @RegisterExtension
    static final RealStack stack = new RealStack();

    private static final JobStore store = new JobStore();
    private static final EventCodec codec = new EventCodec();
    private static final OutboxMessages messages = new OutboxMessages(codec);
    private static Producer<String, String> producer;
    private static Tx app;
    private static Tx worker;

    @BeforeAll
    static void connect() {
        producer = ReliableProducer.create(stack.config().kafkaBootstrap(), "outbox-relay-it");
        app = stack.database(Roles.APP).tx();
        worker = stack.database(Roles.WORKER).tx();
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @BeforeEach
    void drainOutbox() {
        newRelay(1000).runOnce();
    }

    private static OutboxRelay newRelay(int batchSize) {
        return new OutboxRelay(worker, store, producer, new RelaySettings(batchSize, Duration.ofSeconds(20),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    private static ScanEvent anEvent() {
        return new ScanEvent(ScanEvent.VERSION, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "ct", "transform", null, "0".repeat(64), Instant.now());
    }

    private static void append(ScanEvent e) {
        app.run(c -> store.appendOutbox(c, messages.scanEvent(e)));
    }

    @Test
    void committedEventIsPublishedOnceWithKeyAndHeaderAndRolledBackOneNever() throws Exception {
        ScanEvent committed = anEvent();
        ScanEvent rolledBack = anEvent();
        try (ScanEventReader reader = new ScanEventReader()) {
            append(committed);
            assertThatThrownBy(() -> app.run(c -> {
                store.appendOutbox(c, messages.scanEvent(rolledBack));
                throw new IllegalStateException("upload failed after the event was appended");
            })).isInstanceOf(IllegalStateException.class);

            OutboxRelay relay = newRelay(100);
            assertThat(relay.runOnce()).isEqualTo(1);
            assertThat(relay.runOnce()).isZero();

            List<ConsumerRecord<String, String>> records = reader.readToEnd();
            assertThat(records).hasSize(1);
            ConsumerRecord<String, String> r = records.get(0);
            assertThat(r.key()).isEqualTo(committed.scanId().toString());
            assertThat(codec.decodeScanEvent(r.value())).isEqualTo(committed);
            assertThat(new String(r.headers().lastHeader(OutboxRelay.OUTBOX_ID_HEADER).value(), StandardCharsets.UTF_8))
                    .hasSize(36);
        }
        assertThat(worker.<List<OutboxEntry>>run(c -> store.fetchUnpublished(c, 10))).isEmpty();
    }

    @Test
    void twoRelaysInParallelPublishEachEventExactlyOnce() throws Exception {
        List<ScanEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(anEvent());
            append(events.get(i));
        }
        try (ScanEventReader reader = new ScanEventReader()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Integer>> passes = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    OutboxRelay relay = newRelay(25);
                    Callable<Integer> pass = () -> {
                        go.await();
                        return relay.runOnce();
                    };
                    passes.add(pool.submit(pass));
                }
                go.countDown();
                int total = passes.get(0).get() + passes.get(1).get();
                assertThat(total).isBetween(25, 40);
                total += newRelay(100).runOnce();
                assertThat(total).isEqualTo(40);
            } finally {
                pool.shutdownNow();
            }

            List<String> keys = reader.readToEnd().stream().map(ConsumerRecord::key).toList();
            assertThat(keys).hasSize(40).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(ScanEvent::key).toList());
        }
    }

    @Test
    void backgroundLoopPublishesWhatIsCommittedLater() throws Exception {
        try (ScanEventReader reader = new ScanEventReader(); OutboxRelay relay = newRelay(10)) {
            relay.start();
            ScanEvent e = anEvent();
            append(e);

            List<ConsumerRecord<String, String>> records = reader.readUntil(1, Duration.ofSeconds(20));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly(e.key());
            assertThat(relay.consecutiveFailures()).isZero();
        }
    }

    @Test
    void anErrorInAPassIsSurvivedAndTheEventStillPublished() throws Exception {
        AtomicInteger errors = new AtomicInteger();
        // why a proxy: the real producer, with an out-of-memory error on its first send, is the fault in question
        @SuppressWarnings("unchecked")
        Producer<String, String> failingOnce = (Producer<String, String>) Proxy.newProxyInstance(
                Producer.class.getClassLoader(), new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("send") && errors.getAndIncrement() == 0) {
                        throw new OutOfMemoryError("injected: Java heap space");
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        OutboxRelay relay = new OutboxRelay(worker, store, failingOnce, new RelaySettings(10, Duration.ofSeconds(20),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)));
        try (ScanEventReader reader = new ScanEventReader(); relay) {
            ScanEvent e = anEvent();
            append(e);
            relay.start();

            List<ConsumerRecord<String, String>> records = reader.readUntil(1, Duration.ofSeconds(20));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly(e.key());
            assertThat(errors.get()).as("sends tried, the first one failing").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void unreachableBrokerLeavesRowsUnpublished() {
        Properties p = ReliableProducer.properties("127.0.0.1:1", "unreachable");
        p.put("max.block.ms", "500");
        p.put("delivery.timeout.ms", "1500");
        p.put("request.timeout.ms", "1000");
        append(anEvent());
        try (Producer<String, String> dead = new org.apache.kafka.clients.producer.KafkaProducer<>(p)) {
            OutboxRelay relay = new OutboxRelay(worker, store, dead, new RelaySettings(10, Duration.ofSeconds(3),
                    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)));
            assertThatThrownBy(relay::runOnce).isInstanceOf(RuntimeException.class);
        }
        assertThat(worker.<List<OutboxEntry>>run(c -> store.fetchUnpublished(c, 10))).hasSize(1);
        assertThat(newRelay(10).runOnce()).isEqualTo(1);
    }

    /** Reads {@link Topics#SCAN_EVENTS} from the end as it was when opened. */
    private static final class ScanEventReader implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;

        ScanEventReader() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap());
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(p);
            List<TopicPartition> parts = consumer.partitionsFor(Topics.SCAN_EVENTS, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
        }

        List<ConsumerRecord<String, String>> readUntil(int count, Duration max) {
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + max.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }

        /**
         * Every record up to the topic's end as it is now. why it is enough: each relay pass waits for the
         * broker's acknowledgement of every record it sent before it returns, and the flush covers a record
         * sent without waiting, so anything a finished pass published lies below these offsets.
         */
        List<ConsumerRecord<String, String>> readToEnd() {
            producer.flush();
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not read up to " + end + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
