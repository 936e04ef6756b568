package org.triplane.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.triplane.events.PlaneTask;
import org.triplane.events.Topics;
import org.triplane.messaging.EventCodec;

/** Reads {@link Topics#PLANE_TASKS} from the beginning, outside any consumer group, as the gpu-workers would see it. */
final class PlaneTaskReader {
    private final String bootstrap;
    private final EventCodec codec = new EventCodec();

    PlaneTaskReader(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every record of the topic for that job, as (key, decoded event); waits up to {@code timeout} for {@code expected}. */
    List<Map.Entry<String, PlaneTask>> ofJob(UUID jobId, int expected, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Map.Entry<String, PlaneTask>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            int partitions = consumer.partitionsFor(Topics.PLANE_TASKS, Duration.ofSeconds(10)).size();
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(Topics.PLANE_TASKS, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    PlaneTask p = codec.decodePlaneTask(r.value());
                    if (p.jobId().equals(jobId)) {
                        found.add(Map.entry(r.key(), p));
                    }
                }
            }
        }
        return found;
    }
}
