package org.triplane.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.triplane.messaging.KafkaSecurity;
import org.triplane.worker.config.KafkaConfig;

/**
 * One Kafka consumer thread over a set of topics, one record at a time, offset committed only after
 * the record's handler returned (at-least-once; handlers are idempotent). A record whose handling
 * throws is not committed: the consumer seeks back to it and tries again after a pause.
 *
 * <p>With a {@link Lookahead}, before each record is handled the consumer takes the next one that Kafka
 * has already fetched (if any; it does not wait for one) and names it to the lookahead, so that its
 * input can be made ready while the current record is worked on. That record is handled next; like
 * every record it is committed only once handled, so a consumer that dies holding it loses nothing:
 * the group hands it to another member. At most one record is held ahead.
 */
public final class CommittingConsumer {
    private static final Logger LOG = Logger.getLogger(CommittingConsumer.class);
    private static final Duration PAUSE_AFTER_ERROR = Duration.ofSeconds(2);

    private final KafkaConfig kafka;
    private final String group;
    private final List<String> topics;
    private final RecordHandler handler;
    private final String threadName;
    private final Lookahead lookahead;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean assigned;
    private volatile Throwable died;
    private Thread thread;

    /**
     * @param group      consumer group shared by every instance of the service
     * @param topics     topics to read
     * @param handler    the work per record
     * @param threadName name of the consumer thread (logs, thread dumps)
     */
    public CommittingConsumer(KafkaConfig kafka, String group, List<String> topics, RecordHandler handler, String threadName) {
        this(kafka, group, topics, handler, threadName, null);
    }

    /**
     * As {@link #CommittingConsumer(KafkaConfig, String, List, RecordHandler, String)}, naming each
     * record to {@code lookahead} before the one ahead of it is handled ({@code null}: none).
     */
    public CommittingConsumer(KafkaConfig kafka, String group, List<String> topics, RecordHandler handler, String threadName,
                              Lookahead lookahead) {
        this.kafka = kafka;
        this.group = group;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.threadName = threadName;
        this.lookahead = lookahead;
    }

    /** Told of the record that will be handled after the current one, before the current one is handled. */
    @FunctionalInterface
    public interface Lookahead {
        /** Must return at once (start work elsewhere); must not throw. */
        void upcoming(ConsumerRecord<String, String> next);
    }

    /** Starts the consumer thread. */
    public synchronized void start() {
        running.set(true);
        thread = new Thread(this::loop, threadName);
        thread.start();
    }

    /** Stops polling, lets the record in hand finish (up to 30 s) and leaves the group. */
    public synchronized void stop() throws InterruptedException {
        running.set(false);
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** @return whether the consumer has joined its group and holds partitions (readiness detail) */
    public boolean assigned() {
        return assigned;
    }

    private void loop() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties(), new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            c.subscribe(topics);
            ConsumerRecord<String, String> ahead = null;
            while (running.get()) {
                Iterable<ConsumerRecord<String, String>> records = ahead != null ? List.of(ahead) : c.poll(Duration.ofMillis(500));
                ahead = null;
                for (ConsumerRecord<String, String> r : records) {
                    assigned = true;
                    if (lookahead != null) {
                        ahead = next(c);
                        if (!c.assignment().contains(partition(r))) {
                            // why: taken from this consumer in the rebalance that the look-ahead poll ran; its new owner reads it
                            break;
                        }
                    }
                    if (!handle(c, r)) {
                        if (ahead != null && !partition(ahead).equals(partition(r))) {
                            c.seek(partition(ahead), ahead.offset()); // why: its partition's position is already past it
                        }
                        ahead = null; // why: read again in order after r, which the failed handling sought back to
                        break;
                    }
                }
                assigned = assigned || !c.assignment().isEmpty();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("consumer woken unexpectedly", e);
            }
        } catch (RuntimeException | Error e) {
            // why: a dead consumer thread would leave a worker that looks healthy but takes no work;
            // liveness reports it so that the process is restarted
            died = e;
            LOG.error("consumer loop stopped; the service reports itself not alive", e);
        }
    }

    /** The next record Kafka has fetched already, named to the lookahead; {@code null} when none is waiting. */
    private ConsumerRecord<String, String> next(KafkaConsumer<String, String> c) {
        // why Duration.ZERO: a record already fetched comes back at once; none waiting costs the current record nothing
        for (ConsumerRecord<String, String> n : c.poll(Duration.ZERO)) {
            try {
                lookahead.upcoming(n);
            } catch (RuntimeException e) {
                LOG.warnf("look-ahead at %s-%d@%d failed, the record is handled without it: %s", n.topic(), n.partition(),
                        n.offset(), e.toString());
            }
            return n; // why: max.poll.records is 1
        }
        return null;
    }

    private static TopicPartition partition(ConsumerRecord<String, String> r) {
        return new TopicPartition(r.topic(), r.partition());
    }

    /** @return the failure that stopped the consumer thread, or {@code null} while it runs (or was stopped on purpose) */
    public Throwable died() {
        return died;
    }

    /** @return false when the record must be read again (not committed) */
    private boolean handle(KafkaConsumer<String, String> c, ConsumerRecord<String, String> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        try {
            handler.handle(r);
            c.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("record %s-%d@%d not done, will be read again: %s", r.topic(), r.partition(), r.offset(), e.toString());
            c.seek(tp, r.offset());
            sleep(PAUSE_AFTER_ERROR);
            return false;
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // why: one record in hand at a time keeps a crash's redelivery window to that record
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) kafka.maxPollInterval().toMillis());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) kafka.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, kafka.sessionTimeout().toMillis() / 3));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
        return KafkaSecurity.apply(kafka.security(), p);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
