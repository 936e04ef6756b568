package org.triplane.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.objectstore.ObjectStore;

/** Ready when the bucket answers a signed request and exists. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {

    @Inject
    ObjectStore objects;

    @Override
    public HealthCheckResponse call() {
        try {
            boolean exists = objects.bucketExists();
            return HealthCheckResponse.named("object-store").status(exists).withData("bucket", objects.bucket()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("object-store").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
