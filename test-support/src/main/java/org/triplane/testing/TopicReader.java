package org.triplane.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic of the stack's broker from its end as it was when opened (records published
 * since), without a consumer group. Its waits are the consumer's own: each poll returns as soon as
 * records arrive.
 */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;

    /**
     * @param bootstrapServers the broker
     * @param topic            the topic, every partition of it
     */
    public TopicReader(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
    }

    /** Records until {@code count} were read or {@code max} passed (then fewer). */
    public List<ConsumerRecord<String, String>> readUntil(int count, Duration max) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    /**
     * The records {@code keep} accepts, read until {@code enough} holds for them (records of other
     * tests on the same topic pass by).
     *
     * @param what what is awaited, for the failure's message
     * @throws AssertionError when {@code enough} does not hold within {@code max}, naming the records kept
     */
    public List<ConsumerRecord<String, String>> awaitRecords(String what, Predicate<ConsumerRecord<String, String>> keep,
                                                             Predicate<List<ConsumerRecord<String, String>>> enough,
                                                             Duration max) {
        List<ConsumerRecord<String, String>> kept = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (!enough.test(kept)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not read within " + max + "; read " + kept.size() + " records that belong: "
                        + kept.stream().map(ConsumerRecord::key).toList());
            }
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (keep.test(r)) {
                    kept.add(r);
                }
            });
        }
        return kept;
    }

    /**
     * Every record up to the topic's end as it is at this call: what was published before it, and
     * so, once a producer has had the broker's acknowledgement, everything it sent (an assertion
     * that a record is absent holds only after such a point; see the README).
     *
     * @param max longest wait for reading up to that end
     */
    public List<ConsumerRecord<String, String>> readToEnd(Duration max) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not read up to " + end + " within " + max);
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
