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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.triplane.db.JobStore;
import org.triplane.db.OutboxEntry;
import org.triplane.db.Roles;
import org.triplane.db.Tx;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.messaging.testing.RealStack;
import org.triplane.messaging.testing.TopicReader;

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
        return newRelay(batchSize, producer);
    }

    private static OutboxRelay newRelay(int batchSize, Producer<String, String> p) {
        return new OutboxRelay(worker, store, p, new RelaySettings(batchSize, Duration.ofSeconds(20),
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
        try (TopicReader reader = scanEvents()) {
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
        try (TopicReader reader = scanEvents()) {
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
        try (TopicReader reader = scanEvents(); OutboxRelay relay = newRelay(10)) {
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
        OutboxRelay relay = newRelay(10, failingOnce);
        try (TopicReader reader = scanEvents(); relay) {
            ScanEvent e = anEvent();
            append(e);
            relay.start();

            List<ConsumerRecord<String, String>> records = reader.readUntil(1, Duration.ofSeconds(20));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly(e.key());
            assertThat(errors.get()).as("sends tried, the first one failing").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aLoopThatDiesTakesTheServiceOutOfReadinessAndOneThatFailsDoesNot() throws Exception {
        AtomicInteger sends = new AtomicInteger();
        // why: the failure of a pass is handled by describing it; an error while doing so (memory still
        // short) is what can end the loop, and the service must then say it is not ready
        @SuppressWarnings("unchecked")
        Producer<String, String> failingBadly = (Producer<String, String>) Proxy.newProxyInstance(
                Producer.class.getClassLoader(), new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("send")) {
                        sends.incrementAndGet();
                        throw new IllegalStateException() {
                            @Override
                            public String getMessage() {
                                throw new OutOfMemoryError("injected: Java heap space while describing a failure");
                            }
                        };
                    }
                    if (method.getName().equals("close")) {
                        return null; // the shared producer stays open for the other tests
                    }
                    return method.invoke(producer, args);
                });
        append(anEvent());
        OutboxRelay relay = newRelay(10, failingBadly);
        try (RelayService service = new RelayService(failingBadly, relay)) {
            assertThat(service.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            relay.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (relay.died() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(relay.died()).isInstanceOf(OutOfMemoryError.class);
            assertThat(sends.get()).isEqualTo(1);
            HealthCheckResponse down = service.call();
            assertThat(down.getName()).isEqualTo(RelayService.CHECK);
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(down.getData().orElseThrow().get("died").toString()).contains("injected");
        }

        Properties p = ReliableProducer.properties("127.0.0.1:1", "unreachable");
        p.put("max.block.ms", "300");
        try (Producer<String, String> dead = new org.apache.kafka.clients.producer.KafkaProducer<>(p)) {
            OutboxRelay failing = newRelay(10, dead);
            try (RelayService service = new RelayService(dead, failing)) {
                failing.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (failing.consecutiveFailures() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(failing.consecutiveFailures()).isGreaterThanOrEqualTo(2);
                HealthCheckResponse up = service.call();
                assertThat(up.getStatus()).as("a broker away is the broker's readiness, not the relay's").isEqualTo(HealthCheckResponse.Status.UP);
                assertThat(((Number) up.getData().orElseThrow().get("consecutiveFailures")).intValue()).isGreaterThanOrEqualTo(2);
            }
        }
        assertThat(newRelay(10).runOnce()).isEqualTo(1);
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
    private static TopicReader scanEvents() {
        return new TopicReader(stack.config().kafkaBootstrap(), Topics.SCAN_EVENTS);
    }
}
