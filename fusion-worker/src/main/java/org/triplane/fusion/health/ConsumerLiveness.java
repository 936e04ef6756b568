package org.triplane.fusion.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Liveness;
import org.triplane.fusion.messaging.PlaneResultConsumer;

/** Alive while the plane-result consumer's thread runs. */
@Liveness
@ApplicationScoped
public class ConsumerLiveness extends org.triplane.worker.messaging.ConsumerLiveness {
    private final PlaneResultConsumer consumer;

    public ConsumerLiveness(PlaneResultConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    protected Throwable died() {
        return consumer.died();
    }
}
