package org.triplane.preprocess.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Liveness;
import org.triplane.preprocess.messaging.EventConsumer;

/** Alive while the scan-event consumer's thread runs. */
@Liveness
@ApplicationScoped
public class ConsumerLiveness extends org.triplane.worker.messaging.ConsumerLiveness {
    private final EventConsumer consumer;

    public ConsumerLiveness(EventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    protected Throwable died() {
        return consumer.died();
    }
}
