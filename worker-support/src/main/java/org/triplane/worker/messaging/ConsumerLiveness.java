package org.triplane.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the worker's consumer thread runs ({@link WorkerConsumer}): a worker that takes no more
 * work (its thread died, for example of an OutOfMemoryError) must be restarted, not left looking
 * healthy. The answer names the running build ({@code version}: Maven's {@code ${project.version}},
 * which Quarkus gives as {@code quarkus.application.version}), the version each worker records on
 * what it produces.
 */
@Liveness
@ApplicationScoped
public class ConsumerLiveness implements HealthCheck {
    private final WorkerConsumer consumer;

    public ConsumerLiveness(WorkerConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        Throwable died = consumer.died();
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
        return died == null ? HealthCheckResponse.named("consumer").up().withData("version", version).build()
                : HealthCheckResponse.named("consumer").down().withData("version", version)
                        .withData("failure", String.valueOf(died)).build();
    }
}
