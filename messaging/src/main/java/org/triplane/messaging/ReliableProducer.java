package org.triplane.messaging;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** A Kafka producer that does not lose acknowledged records or duplicate them on its own retries. */
public final class ReliableProducer {

    private ReliableProducer() {
    }

    /**
     * @param bootstrapServers e.g. {@code 127.0.0.1:19092}
     * @param clientId         names the producer in broker logs and metrics
     * @return the producer properties: acks from every in-sync replica, idempotence on, String keys and values
     */
    public static Properties properties(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // why: ordering per partition survives retries with idempotence at up to 5 in flight
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        // why: bounds how long send() may block when the broker is unreachable (metadata fetch)
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /**
     * @param bootstrapServers e.g. {@code 127.0.0.1:19092}
     * @param clientId         names the producer in broker logs and metrics
     * @return a new producer; close it
     */
    public static Producer<String, String> create(String bootstrapServers, String clientId) {
        return new KafkaProducer<>(properties(bootstrapServers, clientId));
    }

    /**
     * @param bootstrapServers e.g. {@code 127.0.0.1:19092}
     * @param clientId         names the producer in broker logs and metrics
     * @param security         how it authenticates ({@link KafkaSecurity})
     * @return a new producer; close it
     */
    public static Producer<String, String> create(String bootstrapServers, String clientId, KafkaSecurity.Settings security) {
        return new KafkaProducer<>(KafkaSecurity.apply(security, properties(bootstrapServers, clientId)));
    }
}
