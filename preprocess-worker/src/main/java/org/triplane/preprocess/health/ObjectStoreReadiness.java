package org.triplane.preprocess.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.objectstore.ObjectStore;

/** Ready only while the bucket exists and answers. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {
    private final ObjectStore objects;

    public ObjectStoreReadiness(ObjectStore objects) {
        this.objects = objects;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("object-store").status(objects.reachable()).withData("bucket", objects.bucket()).build();
    }
}
