package org.triplane.gpu.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Liveness;
import org.triplane.gpu.messaging.TaskConsumer;

/** Alive while the task consumer's thread runs. */
@Liveness
@ApplicationScoped
public class ConsumerLiveness extends org.triplane.worker.messaging.ConsumerLiveness {
    private final TaskConsumer consumer;

    public ConsumerLiveness(TaskConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    protected Throwable died() {
        return consumer.died();
    }
}
