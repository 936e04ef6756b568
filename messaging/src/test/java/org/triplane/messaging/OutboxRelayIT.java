package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.Roles;
import org.triplane.db.Tx;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.OutboxEntry;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.testing.StackClient;
import org.triplane.testing.TestStack;
import org.triplane.testing.TopicReader;

/**
 * The relay against a real PostgreSQL and a real Kafka broker from the local stack; with two relays
 * over one outbox every row is delivered, and the rows of each key reach the topic in the order they
 * were committed, also when one relay is stalled in the middle of a batch while the other runs.
 */
class OutboxRelayIT {

    @TempDir
    static Path dir;

    private static TestStack stack;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventCodec codec = new EventCodec();
    private static final OutboxMessages messages = new OutboxMessages(codec);
    private static Producer<String, String> producer;
    private static Tx app;
    private static Tx worker;

    @BeforeAll
    static void connect() throws Exception {
        stack = TestStack.start(dir);
        producer = ReliableProducer.create(stack.config().kafkaBootstrap(), "outbox-relay-it");
        app = stack.database(Roles.APP).tx();
        worker = stack.database(Roles.WORKER).tx();
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void drainOutbox() {
        while (newRelay(1000).runOnce() > 0) {
            // rows of earlier tests
        }
    }

    private static OutboxRelay newRelay(int batchSize) {
        return newRelay(batchSize, producer);
    }

    private static OutboxRelay newRelay(int batchSize, Producer<String, String> p) {
        return new OutboxRelay(worker, p, new RelaySettings(batchSize, Duration.ofSeconds(20),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    private static ScanEvent anEvent() {
        return new ScanEvent(ScanEvent.VERSION, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "ct", "transform", null, "0".repeat(64), Instant.now());
    }

    private static void append(ScanEvent e) {
        app.run(c -> Outbox.append(c, messages.scanEvent(e)));
    }

    @Test
    void committedEventIsPublishedOnceWithKeyAndHeaderAndRolledBackOneNever() throws Exception {
        ScanEvent committed = anEvent();
        ScanEvent rolledBack = anEvent();
        try (TopicReader reader = scanEvents()) {
            append(committed);
            assertThatThrownBy(() -> app.run(c -> {
                Outbox.append(c, messages.scanEvent(rolledBack));
                throw new IllegalStateException("upload failed after the event was appended");
            })).isInstanceOf(IllegalStateException.class);

            OutboxRelay relay = newRelay(100);
            assertThat(relay.runOnce()).isEqualTo(1);
            assertThat(relay.runOnce()).isZero();

            List<ConsumerRecord<String, String>> records = reader.readToEnd(Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            ConsumerRecord<String, String> r = records.get(0);
            assertThat(r.key()).isEqualTo(committed.scanId().toString());
            assertThat(codec.decodeScanEvent(r.value())).isEqualTo(committed);
            assertThat(new String(r.headers().lastHeader(OutboxRelay.OUTBOX_ID_HEADER).value(), StandardCharsets.UTF_8))
                    .hasSize(36);
        }
        assertThat(worker.<List<OutboxEntry>>run(c -> Outbox.fetchUnpublished(c, 10))).isEmpty();
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

            List<String> keys = reader.readToEnd(Duration.ofSeconds(30)).stream().map(ConsumerRecord::key).toList();
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
    void closingTheLoopMidPassLetsThePassFinishSoWhatItSentIsMarkedAndNotSentAgain() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ScanEvent e = anEvent();
        try (TopicReader reader = scanEvents()) {
            OutboxRelay relay = newRelay(10, stallingOnFirstSend(stalled, resume));
            append(e);
            relay.start();
            assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the loop claimed the row and is sending it").isTrue();
            // what a service's shutdown does while its relay is in the middle of a pass
            Thread closer = new Thread(relay::close, "closer");
            closer.start();
            StackClient.await("close() waits for the pass", Duration.ofSeconds(30),
                    () -> closer.getState() == Thread.State.TIMED_WAITING);
            resume.countDown();
            closer.join(Duration.ofSeconds(30).toMillis());
            assertThat(closer.isAlive()).as("close() returned once the pass was done").isFalse();

            assertThat(worker.<List<OutboxEntry>>run(c -> Outbox.fetchUnpublished(c, 10))).as("sent and marked").isEmpty();
            assertThat(reader.readToEnd(Duration.ofSeconds(30))).extracting(ConsumerRecord::key).containsExactly(e.key());
            assertThat(relay.consecutiveFailures()).isZero();
        }
    }

    @Test
    void anErrorInAPassIsSurvivedAndTheEventStillPublished() throws Exception {
        AtomicInteger errors = new AtomicInteger();
        // the real producer, with an out-of-memory error on its first send: the fault in question
        Producer<String, String> failingOnce = delegating(producer, (method, args) -> {
            if (method.equals("send") && errors.getAndIncrement() == 0) {
                throw new OutOfMemoryError("injected: Java heap space");
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
        Producer<String, String> failingBadly = delegating(producer, (method, args) -> {
            if (method.equals("send")) {
                sends.incrementAndGet();
                throw new IllegalStateException() {
                    @Override
                    public String getMessage() {
                        throw new OutOfMemoryError("injected: Java heap space while describing a failure");
                    }
                };
            }
        });
        append(anEvent());
        OutboxRelay relay = newRelay(10, failingBadly);
        try (RelayService service = new RelayService(failingBadly, relay)) {
            assertThat(service.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            relay.start();
            assertThat(await("the relay's loop ended by an error").atMost(Duration.ofSeconds(20)).until(relay::died, Objects::nonNull))
                    .isInstanceOf(OutOfMemoryError.class);
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
                await("two failed passes in a row").atMost(Duration.ofSeconds(20)).until(failing::consecutiveFailures, n -> n >= 2);
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
            OutboxRelay relay = new OutboxRelay(worker, dead, new RelaySettings(10, Duration.ofSeconds(3),
                    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)));
            assertThatThrownBy(relay::runOnce).isInstanceOf(RuntimeException.class);
        }
        assertThat(worker.<List<OutboxEntry>>run(c -> Outbox.fetchUnpublished(c, 10))).hasSize(1);
        assertThat(newRelay(10).runOnce()).isEqualTo(1);
    }

    @Test
    void aRelayStalledMidBatchHoldsItsKeysWhileAnotherPublishesTheOthersInOrder() throws Exception {
        String run = UUID.randomUUID().toString();
        // rows 0..29 cycle over keys k0..k5, rows 30..59 over k0..k9: k6..k9 appear only after the first 20 rows
        Map<Integer, String> keyOf = new LinkedHashMap<>();
        for (int n = 0; n < 60; n++) {
            String key = run + "-k" + (n < 30 ? n % 6 : n % 10);
            keyOf.put(n, key);
            appendKeyed(key, n);
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
        try (TopicReader reader = scanEvents()) {
            Future<Integer> firstPass = first.submit(() -> newRelay(20, stalling).runOnce());
            assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the first relay claimed its batch and is sending").isTrue();

            int second = newRelay(100).runOnce();
            assertThat(second).as("the second relay publishes the rows of the keys the first does not hold, no more")
                    .isEqualTo(rowsOfOtherKeys);

            resume.countDown();
            assertThat(firstPass.get(30, TimeUnit.SECONDS)).isEqualTo(20);
            int rest = 0;
            for (int n; (n = newRelay(100).runOnce()) > 0; ) {
                rest += n;
            }
            assertThat(second + 20 + rest).isEqualTo(60);

            assertDeliveredInOrder(ofRun(reader.readToEnd(Duration.ofSeconds(30)), run), keyOf);
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
        try (TopicReader reader = scanEvents();
             Producer<String, String> producerA = ReliableProducer.create(stack.config().kafkaBootstrap(), "relay-a");
             Producer<String, String> producerB = ReliableProducer.create(stack.config().kafkaBootstrap(), "relay-b");
             OutboxRelay a = newRelay(7, counting(producerA, sentByA));
             OutboxRelay b = newRelay(5, counting(producerB, sentByB))) {
            // why one writer, one row per transaction: commit order is then the order each key's rows must keep;
            // half of the rows wait before the relays start (both claim from a backlog), half come while they run
            for (int n = 0; n < rows / 2; n++) {
                appendKeyed(keyOf.get(n), n);
            }
            a.start();
            b.start();
            for (int n = rows / 2; n < rows; n++) {
                appendKeyed(keyOf.get(n), n);
            }
            List<ConsumerRecord<String, String>> records = reader.awaitRecords("every row of " + run,
                    r -> ofRun(r, run), got -> distinctRows(got) >= rows, Duration.ofSeconds(60));
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

    private static int distinctRows(List<ConsumerRecord<String, String>> records) {
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            try {
                seen.add(JSON.readTree(r.value()).get("n").asInt());
            } catch (IOException e) {
                throw new UncheckedIOException("record " + r.key() + " is not this test's JSON", e);
            }
        }
        return seen.size();
    }

    private static List<ConsumerRecord<String, String>> ofRun(List<ConsumerRecord<String, String>> records, String run) {
        return records.stream().filter(r -> ofRun(r, run)).toList();
    }

    private static boolean ofRun(ConsumerRecord<String, String> r, String run) {
        return r.key() != null && r.key().startsWith(run);
    }

    /** One committed row: key {@code key}, payload numbering it {@code n} in this test's order of commits. */
    private static void appendKeyed(String key, int n) {
        app.run(c -> Outbox.append(c, new OutboxMessage("test:" + key, Topics.SCAN_EVENTS, key,
                "{\"key\": \"" + key + "\", \"n\": " + n + "}")));
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
                    if (method.getName().equals("close")) {
                        return null; // a relay's service closes its producer; the shared one stays open for the other tests
                    }
                    before.run(method.getName(), args);
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Reads {@link Topics#SCAN_EVENTS} from the end as it was when opened. */
    private static TopicReader scanEvents() {
        return new TopicReader(stack.config().kafkaBootstrap(), Topics.SCAN_EVENTS);
    }
}
