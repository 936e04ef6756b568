package org.triplane.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.triplane.messaging.KafkaSecurity;

/** The Kafka cluster. */
@ConfigMapping(prefix = "triplane.kafka")
public interface KafkaConfig {

    /** Bootstrap servers, {@code host:port[,host:port]}. */
    @WithDefault("127.0.0.1:19092")
    String bootstrap();

    /** Longest a record may take to process before the broker considers this consumer dead. */
    @WithDefault("10m")
    Duration maxPollInterval();

    /**
     * How long the group waits for a silent consumer before giving its partitions to others (a
     * killed worker's partitions move after this long).
     */
    @WithDefault("45s")
    Duration sessionTimeout();

    /** Timeout of the consumer's requests, commits and other blocking calls. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Authentication and encryption ({@code triplane.kafka.security.*}); none set: a plain connection. */
    KafkaSecurity.Settings security();
}
