package org.triplane.worker.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * A worker's Kafka consumer as a bean: its {@link CommittingConsumer} runs from start-up to shutdown,
 * and {@link ConsumerLiveness} and the readiness checks read its state. Each worker has exactly one,
 * a subclass that builds the consumer over its topics and handler.
 */
public abstract class WorkerConsumer {

    /** The consumer this bean runs; the same instance on every call. */
    protected abstract CommittingConsumer consumer();

    /**
     * Whether the consumer may join its group at start-up; a worker that cannot do its tasks (no device)
     * answers false, so its share of the partitions goes to the others.
     */
    protected boolean mayStart() {
        return true;
    }

    void start(@Observes StartupEvent ignored) {
        if (mayStart()) {
            consumer().start();
        }
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        consumer().stop();
    }

    /** @return the failure that stopped the consumer thread, or {@code null} while it runs */
    public Throwable died() {
        return consumer().died();
    }

    /** @return whether the consumer has joined its group and holds partitions (readiness detail) */
    public boolean assigned() {
        return consumer().assigned();
    }
}
