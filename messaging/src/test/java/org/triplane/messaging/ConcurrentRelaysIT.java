package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.JobStore;
import org.triplane.db.OutboxMessage;
import org.triplane.db.Roles;
import org.triplane.db.Tx;
import org.triplane.events.Topics;
import org.triplane.messaging.testing.RealStack;
import org.triplane.messaging.testing.TopicReader;

/**
 * Two relays over one outbox, against a real PostgreSQL and a real Kafka broker: every row is
 * delivered, and the rows of each key reach the topic in the order they were committed, also when
 * one relay is stalled in the middle of a batch while the other runs.
 */
class ConcurrentRelaysIT {

    @RegisterExtension
    static final RealStack stack = new RealStack();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobStore store = new JobStore();
    private static Producer<String, String> producer;
    private static Tx app;
    private static Tx worker;

    @BeforeAll
    static void connect() {
        producer = ReliableProducer.create(stack.config().kafkaBootstrap(), "concurrent-relays-it");
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
        while (relay(producer, 1000).runOnce() > 0) {
            // rows of earlier tests
        }
    }

    private static OutboxRelay relay(Producer<String, String> p, int batchSize) {
        return new OutboxRelay(worker, store, p, new RelaySettings(batchSize, Duration.ofSeconds(20), Duration.ofMillis(50),
                Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    /** One committed row: key {@code key}, payload numbering it {@code n} in this test's order of commits. */
    private static void append(String key, int n) {
        app.run(c -> store.appendOutbox(c, new OutboxMessage("test:" + key, Topics.SCAN_EVENTS, key,
                "{\"key\": \"" + key + "\", \"n\": " + n + "}")));
    }

    @Test
    void aRelayStalledMidBatchHoldsItsKeysWhileAnotherPublishesTheOthersInOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        // rows 0..29 cycle over keys k0..k5, rows 30..59 over k0..k9: k6..k9 appear only after the first 20 rows
        Map<Integer, String> keyOf = new LinkedHashMap<>();
        for (int n = 0; n < 60; n++) {
            String key = run + "-k" + (n < 30 ? n % 6 : n % 10);
            keyOf.put(n, key);
            append(key, n);
        }
        Set<String> keysOfFirstBatch = new HashSet<>();
        for (int n = 0; n < 20; n++) {
            keysOfFirstBatch.add(keyOf.get(n));
        }
        long rowsOfOtherKeys = keyOf.values().stream().filter(k -> !keysOfFirstBatch.contains(k)).count();

        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        Producer<String, String> stalling = stallingOnFirstSend(stalled, resume);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try (TopicReader reader = new TopicReader(stack.config().kafkaBootstrap(), Topics.SCAN_EVENTS)) {
            Future<Integer> firstPass = first.submit(() -> relay(stalling, 20).runOnce());
            assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the first relay claimed its batch and is sending").isTrue();

            int second = relay(producer, 100).runOnce();
            assertThat(second).as("the second relay publishes the rows of the keys the first does not hold, no more")
                    .isEqualTo(rowsOfOtherKeys);

            resume.countDown();
            assertThat(firstPass.get(30, TimeUnit.SECONDS)).isEqualTo(20);
            int rest = 0;
            for (int n; (n = relay(producer, 100).runOnce()) > 0; ) {
                rest += n;
            }
            assertThat(second + 20 + rest).isEqualTo(60);

            assertDeliveredInOrder(ofRun(reader.readToEnd(), run), keyOf);
        } finally {
            resume.countDown();
            first.shutdownNow();
        }
    }

    @Test
    void twoRelayLoopsDeliverABacklogAndARunningWritersRowsInPerKeyOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        int rows = 240;
        Map<Integer, String> keyOf = new LinkedHashMap<>();
        for (int n = 0; n < rows; n++) {
            keyOf.put(n, run + "-k" + (n % 4));
        }
        AtomicInteger sentByA = new AtomicInteger();
        AtomicInteger sentByB = new AtomicInteger();
        // why a producer each: as with relays in different services, nothing but the claim orders their sends
        try (TopicReader reader = new TopicReader(stack.config().kafkaBootstrap(), Topics.SCAN_EVENTS);
             Producer<String, String> producerA = ReliableProducer.create(stack.config().kafkaBootstrap(), "relay-a");
             Producer<String, String> producerB = ReliableProducer.create(stack.config().kafkaBootstrap(), "relay-b");
             OutboxRelay a = relay(counting(producerA, sentByA), 7);
             OutboxRelay b = relay(counting(producerB, sentByB), 5)) {
            // why one writer, one row per transaction: commit order is then the order each key's rows must keep;
            // half of the rows wait before the relays start (both claim from a backlog), half come while they run
            for (int n = 0; n < rows / 2; n++) {
                append(keyOf.get(n), n);
            }
            a.start();
            b.start();
            for (int n = rows / 2; n < rows; n++) {
                append(keyOf.get(n), n);
            }
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (distinctRows(records) < rows && System.nanoTime() < deadline) {
                records.addAll(ofRun(reader.readUntil(rows, Duration.ofSeconds(2)), run));
            }
            assertDeliveredInOrder(records, keyOf);
            assertThat(sentByA.get()).as("records sent by relay A").isPositive();
            assertThat(sentByB.get()).as("records sent by relay B").isPositive();
            assertThat(a.died()).isNull();
            assertThat(b.died()).isNull();
        }
    }

    /** Every row of {@code keyOf} arrived; per key, the first arrival of each row follows the rows' commit order. */
    private static void assertDeliveredInOrder(List<ConsumerRecord<String, String>> records, Map<Integer, String> keyOf)
            throws Exception {
        Map<String, List<Integer>> arrivals = new LinkedHashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode payload = JSON.readTree(r.value());
            int n = payload.get("n").asInt();
            assertThat(r.key()).isEqualTo(keyOf.get(n));
            if (seen.add(n)) {
                arrivals.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(n);
            }
        }
        assertThat(seen).as("rows delivered").containsExactlyInAnyOrderElementsOf(keyOf.keySet());
        arrivals.forEach((key, ns) -> assertThat(ns).as("rows of key %s in arrival order", key).isSorted());
    }

    private static int distinctRows(List<ConsumerRecord<String, String>> records) throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            seen.add(JSON.readTree(r.value()).get("n").asInt());
        }
        return seen.size();
    }

    private static List<ConsumerRecord<String, String>> ofRun(List<ConsumerRecord<String, String>> records, String run) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith(run)).toList();
    }

    /** The shared producer, its first {@code send} held until {@code resume} (after signalling {@code stalled}). */
    private static Producer<String, String> stallingOnFirstSend(CountDownLatch stalled, CountDownLatch resume) {
        AtomicInteger sends = new AtomicInteger();
        return delegating(producer, (method, args) -> {
            if (method.equals("send") && sends.getAndIncrement() == 0) {
                stalled.countDown();
                if (!resume.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never resumed");
                }
            }
        });
    }

    /**
     * {@code target}, counting the records sent through it, each send after a random pause of up to
     * 4 ms. why the pauses: two relays' passes then overlap at varying points, as in services under
     * load, rather than in lockstep (where the one that claimed first also sends first by chance).
     */
    private static Producer<String, String> counting(Producer<String, String> target, AtomicInteger sent) {
        return delegating(target, (method, args) -> {
            if (method.equals("send")) {
                sent.incrementAndGet();
                Thread.sleep(ThreadLocalRandom.current().nextInt(5));
            }
        });
    }

    @FunctionalInterface
    private interface BeforeCall {
        void run(String method, Object[] args) throws Exception;
    }

    /**
     * The real producer {@code target} behind a proxy that runs {@code before} ahead of each call. why a
     * proxy: the relays must send through a real producer to the real broker; only the timing is arranged.
     */
    @SuppressWarnings("unchecked")
    private static Producer<String, String> delegating(Producer<String, String> target, BeforeCall before) {
        return (Producer<String, String>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    before.run(method.getName(), args);
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
