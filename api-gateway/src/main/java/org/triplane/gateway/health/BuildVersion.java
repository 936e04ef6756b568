package org.triplane.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.triplane.gateway.config.GatewayConfig;

/**
 * Names the running build in the liveness answer ({@code /q/health/live}, data {@code version}):
 * the version every job records as its code version, Maven's {@code ${project.version}} unless
 * {@code triplane.code-version} says otherwise. Always up.
 */
@Liveness
@ApplicationScoped
public class BuildVersion implements HealthCheck {

    @Inject
    GatewayConfig config;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("build").up().withData("version", config.codeVersion()).build();
    }
}
