package org.triplane.worker.messaging;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Alive while a worker's consumer thread runs: a worker that takes no more work (its thread died,
 * for example of an OutOfMemoryError) must be restarted, not left looking healthy. Each service
 * subclasses it as a {@code @Liveness} bean. The answer names the running build
 * ({@code version}: Maven's {@code ${project.version}}, which Quarkus gives as
 * {@code quarkus.application.version}), the version each worker records on what it produces.
 */
public abstract class ConsumerLiveness implements HealthCheck {

    /** @return the failure that stopped the consumer thread, or {@code null} while it runs */
    protected abstract Throwable died();

    @Override
    public HealthCheckResponse call() {
        Throwable died = died();
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
        return died == null ? HealthCheckResponse.named("consumer").up().withData("version", version).build()
                : HealthCheckResponse.named("consumer").down().withData("version", version)
                        .withData("failure", String.valueOf(died)).build();
    }
}
