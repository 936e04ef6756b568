package org.triplane.worker.messaging;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.triplane.events.Topics;
import org.triplane.messaging.EventCodec;
import org.triplane.worker.config.KafkaConfig;
import org.triplane.worker.run.TransientException;

/** Publishes {@link DeadLetter}s to {@link Topics#DEAD_LETTER} and waits for the broker's acknowledgement. */
@ApplicationScoped
public class DeadLetters {
    private final KafkaProducer<String, String> producer;
    private final EventCodec codec = new EventCodec();
    private final long timeoutMs;

    public DeadLetters(KafkaConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.requestTimeout().toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis() * 3);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.requestTimeout().toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.timeoutMs = config.requestTimeout().toMillis() * 4;
    }

    public void publish(DeadLetter letter) {
        String key = letter.scanId() != null ? letter.scanId().toString() : null;
        try {
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, key, codec.encode(letter))).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while publishing a dead letter", e);
        } catch (Exception e) {
            throw new TransientException("dead letter not acknowledged: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
