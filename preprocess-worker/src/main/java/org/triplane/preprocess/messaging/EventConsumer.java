package org.triplane.preprocess.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.triplane.events.Topics;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.config.KafkaConfig;
import org.triplane.worker.messaging.CommittingConsumer;

/**
 * The worker's Kafka consumer: scan events and bucket notifications, one record at a time,
 * committed after the work is done (see {@link CommittingConsumer}).
 */
@ApplicationScoped
public class EventConsumer {
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

    void start(@Observes StartupEvent ignored) {
        consumer.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        consumer.stop();
    }

    /** @return the failure that stopped the consumer thread, or {@code null} while it runs */
    public Throwable died() {
        return consumer.died();
    }

    /** @return whether the consumer has joined its group and holds partitions (readiness detail) */
    public boolean assigned() {
        return consumer.assigned();
    }
}
