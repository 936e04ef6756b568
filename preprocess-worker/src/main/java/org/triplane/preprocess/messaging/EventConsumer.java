package org.triplane.preprocess.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.triplane.events.Topics;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.config.KafkaConfig;
import org.triplane.worker.messaging.CommittingConsumer;
import org.triplane.worker.messaging.WorkerConsumer;

/**
 * The worker's Kafka consumer: scan events and bucket notifications, one record at a time,
 * committed after the work is done (see {@link CommittingConsumer}); run and watched as every worker's
 * consumer is ({@link WorkerConsumer}).
 */
@ApplicationScoped
public class EventConsumer extends WorkerConsumer {
    private final CommittingConsumer consumer;

    public EventConsumer(KafkaConfig kafka, WorkerConfig worker, ScanEventHandler scanEvents, IncomingObjectHandler incoming) {
        this.consumer = new CommittingConsumer(kafka, worker.consumerGroup(),
                List.of(Topics.SCAN_EVENTS, Topics.BUCKET_NOTIFICATIONS),
                (ConsumerRecord<String, String> r) -> {
                    if (Topics.SCAN_EVENTS.equals(r.topic())) {
                        scanEvents.handle(r);
                    } else {
                        incoming.handle(r);
                    }
                }, "preprocess-consumer");
    }

    @Override
    protected CommittingConsumer consumer() {
        return consumer;
    }
}
