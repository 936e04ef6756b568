package org.triplane.deploy.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.events.Topics;

/**
 * The local stack against real processes: PostgreSQL, Kafka and s3proxy started, used, stopped
 * and started again on free ports in a temporary data directory. Whatever happens, {@link #stop()}
 * leaves no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {
    @TempDir
    static Path dir;

    private static StackConfig config;
    private static LocalStack stack;
    private static final List<String> progress = new ArrayList<>();

    /** What the first start wrote, to find again after the restart. */
    private static final String MARK = UUID.randomUUID().toString();
    private static long recordOffset;
    private static int recordPartition;

    @BeforeAll
    static void configure() throws IOException {
        int[] ports = FreePorts.pick(4);
        config = StackConfig.builder()
                .setDataDir(dir.resolve("stack"))
                .optPostgresPort(ports[0])
                .optKafkaPort(ports[1])
                .optKafkaControllerPort(ports[2])
                .optS3Port(ports[3])
                // why: this module builds before the services; their start is the e2e module's test
                .optServicesHome(dir.resolve("no-services"))
                .optStartTimeout(Duration.ofSeconds(90))
                .build();
        stack = new LocalStack(config, (component, message) -> {
            synchronized (progress) {
                progress.add(component + ": " + message);
            }
            System.out.println("[stack] " + component + ": " + message);
        });
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.down();
            assertTrue(stack.status().allStopped(), "processes left running: " + stack.status().toMap());
        }
    }

    @Test
    @Order(1)
    void upStartsEveryComponentAndTheStatusSaysRunning() throws Exception {
        UpResult up = stack.up();

        assertTrue(up.status().allUp(), "not all up: " + up.status().toMap());
        for (UpResult.Started s : up.components()) {
            assertEquals(UpResult.Action.STARTED, s.action(), s.name());
            assertNotNull(s.pid(), s.name());
        }
        Map<String, Object> json = stack.status().toMap();
        assertEquals("running", state(json, "postgres"));
        assertEquals("running", state(json, "kafka"));
        assertEquals("running", state(json, "objectStore"));
        assertEquals("not-built", state(json, "gateway"));
        assertEquals("not-built", state(json, "preprocessWorker"));
        assertEquals("not-built", state(json, "gpuWorker"));
        assertEquals("not-built", state(json, "fusionWorker"));
        synchronized (progress) {
            for (String service : List.of("gateway", "preprocess-worker", "gpu-worker", "fusion-worker")) {
                assertTrue(progress.contains(service + ": not built, skipped (" + QuarkusService.BUILD_HINT + ")"), progress.toString());
            }
        }
        assertEquals(config.jdbcUrl(), field(json, "postgres", "url"));
        assertEquals(config.kafkaBootstrap(), field(json, "kafka", "bootstrap"));
        assertEquals(config.s3Endpoint(), field(json, "objectStore", "endpoint"));
        for (String c : List.of("postgres", "kafka", "objectstore")) {
            assertTrue(Files.exists(config.pidFile(c)), "pid file of " + c);
            assertTrue(Files.size(config.logFile(c)) > 0, "log of " + c);
        }
    }

    @Test
    @Order(2)
    void eachServerStoresAndReturnsData() throws Exception {
        Properties p = StackProperties.read(config.dataDir());
        try (Connection c = jdbc(p); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE it_marks (mark text PRIMARY KEY)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO it_marks VALUES (?)")) {
                ps.setString(1, MARK);
                ps.executeUpdate();
            }
        }
        assertEquals(List.of(MARK), marks(p));

        try (KafkaProducer<String, String> producer = producer(p)) {
            RecordMetadata m = producer.send(new ProducerRecord<>(Topics.SCAN_EVENTS, "it", MARK)).get();
            recordPartition = m.partition();
            recordOffset = m.offset();
        }
        assertEquals(MARK, readRecord(p));

        s3(p).putObject(PutObjectArgs.builder().bucket(p.getProperty(StackProperties.S3_BUCKET)).object("it/mark.txt")
                .stream(new ByteArrayInputStream(MARK.getBytes(StandardCharsets.UTF_8)), MARK.length(), -1)
                .contentType("text/plain").build());
        assertEquals(MARK, readObject(p));
    }

    @Test
    @Order(3)
    void downStopsEveryProcess() throws InterruptedException {
        List<Long> pids = stack.status().components().stream().map(ComponentStatus::pid)
                .filter(java.util.Objects::nonNull).toList();
        assertEquals(3, pids.size());

        DownResult down = stack.down();

        for (DownResult.Stopped s : down.components()) {
            assertEquals(DownResult.Outcome.STOPPED, s.outcome(), s.name());
        }
        assertTrue(down.status().allStopped(), down.status().toMap().toString());
        assertEquals("stopped", state(stack.status().toMap(), "kafka"));
        for (long pid : pids) {
            awaitGone(pid);
        }
        for (String c : List.of("postgres", "kafka", "objectstore")) {
            assertFalse(Files.exists(config.pidFile(c)), "pid file of " + c);
        }
    }

    @Test
    @Order(4)
    void downIsIdempotent() {
        DownResult again = stack.down();
        for (DownResult.Stopped s : again.components()) {
            assertEquals(DownResult.Outcome.NOT_RUNNING, s.outcome(), s.name());
        }
    }

    @Test
    @Order(5)
    void aTakenPortIsNamedBeforeAnythingStarts() throws IOException {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(StackConfig.HOST, config.kafkaControllerPort()));

            StackException e = assertThrows(StackException.class, stack::up);
            System.out.println("[expected] " + e.getMessage());

            assertEquals("kafka", e.component());
            assertTrue(e.getMessage().contains(Integer.toString(config.kafkaControllerPort())), e.getMessage());
            assertTrue(e.getMessage().contains("TRIPLANE_KAFKA_CONTROLLER_PORT"), e.getMessage());
        }
        assertTrue(stack.status().allStopped(), "something started: " + stack.status().toMap());
    }

    @Test
    @Order(6)
    void restartKeepsTheRowTheRecordAndTheObject() throws Exception {
        UpResult up = stack.up();

        assertTrue(up.status().allUp(), up.status().toMap().toString());
        Properties p = StackProperties.read(config.dataDir());
        assertEquals(List.of(MARK), marks(p));
        assertEquals(MARK, readRecord(p));
        assertEquals(MARK, readObject(p));
    }

    @Test
    @Order(7)
    void upOnARunningStackOnlyChecksIt() {
        UpResult again = stack.up();

        for (UpResult.Started s : again.components()) {
            assertEquals(UpResult.Action.ALREADY_RUNNING, s.action(), s.name());
        }
    }

    @Test
    @Order(8)
    void aStackOfTheServersOnlyChecksThemAndNeverMentionsTheServices() throws IOException {
        List<String> lines = new ArrayList<>();
        LocalStack servers = new LocalStack(StackConfig.builder().setDataDir(config.dataDir())
                .optPostgresPort(config.postgresPort()).optKafkaPort(config.kafkaPort())
                .optKafkaControllerPort(config.kafkaControllerPort()).optS3Port(config.s3Port())
                .optInfrastructureOnly(true).build(), (component, message) -> {
                    synchronized (lines) {
                        lines.add(component + ": " + message);
                    }
                });

        UpResult up = servers.up();

        assertEquals(List.of("postgres", "kafka", "objectstore"), up.components().stream().map(UpResult.Started::name).toList());
        up.components().forEach(s -> assertEquals(UpResult.Action.ALREADY_RUNNING, s.action(), s.name()));
        assertEquals(List.of("postgres", "kafka", "objectStore", "dataDir"), List.copyOf(servers.status().toMap().keySet()));
        assertTrue(servers.status().allUp(), servers.status().toMap().toString());
        synchronized (lines) {
            assertFalse(lines.isEmpty());
            for (String line : lines) {
                assertTrue(line.startsWith("postgres: ") || line.startsWith("kafka: ") || line.startsWith("objectstore: ")
                        || line.startsWith("stack: "), "a service mentioned: " + line);
            }
        }
        Properties p = StackProperties.read(config.dataDir());
        assertEquals(config.kafkaBootstrap(), p.getProperty(StackProperties.KAFKA_BOOTSTRAP));
        assertFalse(p.containsKey(StackProperties.GATEWAY_URL), p.toString());
    }

    @Test
    @Order(9)
    void aComponentNotReadyInTimeIsNamedWithItsLogAndNothingIsLeftRunning() {
        stack.down();
        LocalStack impatient = new LocalStack(StackConfig.builder().setDataDir(config.dataDir())
                .optPostgresPort(config.postgresPort()).optKafkaPort(config.kafkaPort())
                .optKafkaControllerPort(config.kafkaControllerPort()).optS3Port(config.s3Port())
                .optServicesHome(config.servicesHome().orElse(null)).optStartTimeout(Duration.ofMillis(1)).build());

        StackException e = assertThrows(StackException.class, impatient::up);
        System.out.println("[expected] " + e.getMessage());

        assertTrue(e.getMessage().contains("not ready within"), e.getMessage());
        assertTrue(e.log().isPresent(), e.getMessage());
        assertTrue(e.getMessage().contains(config.logFile(e.component()).toString()), e.getMessage());
        assertTrue(impatient.status().allStopped(), "left running: " + impatient.status().toMap());
    }

    /**
     * Waits until the process has ended and been reaped. why a wait: the servers are children of this
     * JVM, and its reaper thread may take a moment to collect one after {@code down} saw it exit.
     */
    private static void awaitGone(long pid) {
        await("process " + pid + " ended").atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    private static String state(Map<String, Object> json, String component) {
        return (String) field(json, component, "state");
    }

    @SuppressWarnings("unchecked")
    private static Object field(Map<String, Object> json, String component, String key) {
        return ((Map<String, Object>) json.get(component)).get(key);
    }

    private static Connection jdbc(Properties p) throws SQLException {
        return DriverManager.getConnection(p.getProperty(StackProperties.POSTGRES_URL),
                p.getProperty(StackProperties.POSTGRES_USER), p.getProperty(StackProperties.POSTGRES_PASSWORD));
    }

    private static List<String> marks(Properties p) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = jdbc(p); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT mark FROM it_marks")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static KafkaProducer<String, String> producer(Properties p) {
        Properties c = new Properties();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.getProperty(StackProperties.KAFKA_BOOTSTRAP));
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
    }

    /** The record written in step 2, read by partition and offset (no consumer group needed). */
    private static String readRecord(Properties p) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, p.getProperty(StackProperties.KAFKA_BOOTSTRAP));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.SCAN_EVENTS, recordPartition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, recordOffset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() == recordOffset) {
                        return r.value();
                    }
                }
            }
            return null;
        }
    }

    private static MinioClient s3(Properties p) {
        return MinioClient.builder().endpoint(p.getProperty(StackProperties.S3_ENDPOINT))
                .credentials(p.getProperty(StackProperties.S3_ACCESS_KEY), p.getProperty(StackProperties.S3_SECRET_KEY))
                .region(p.getProperty(StackProperties.S3_REGION)).build();
    }

    private static String readObject(Properties p) throws Exception {
        try (GetObjectResponse in = s3(p).getObject(GetObjectArgs.builder()
                .bucket(p.getProperty(StackProperties.S3_BUCKET)).object("it/mark.txt").build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
