package org.triplane.worker.messaging;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Alive while a worker's consumer thread runs: a worker that takes no more work (its thread died,
 * for example of an OutOfMemoryError) must be restarted, not left looking healthy. Each service
 * subclasses it as a {@code @Liveness} bean.
 */
public abstract class ConsumerLiveness implements HealthCheck {

    /** @return the failure that stopped the consumer thread, or {@code null} while it runs */
    protected abstract Throwable died();

    @Override
    public HealthCheckResponse call() {
        Throwable died = died();
        return died == null ? HealthCheckResponse.up("consumer")
                : HealthCheckResponse.named("consumer").down().withData("failure", String.valueOf(died)).build();
    }
}
