package org.triplane.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.messaging.RelayHost;

/**
 * Runs the gateway's outbox relay from start-up (after the schema is migrated) to shutdown. Every
 * worker runs one as well, over the same outbox, so the events the gateway commits reach Kafka
 * while any service is up, and a job goes on while the gateway is down. Readiness check
 * {@code outbox-relay} and gauge {@code triplane.outbox.relay.failures}: see {@link RelayHost}.
 */
@Readiness
@ApplicationScoped
public class RelayRunner extends RelayHost {

    void onStart(@Observes @Priority(20) StartupEvent event, GatewayConfig config, Databases db, MeterRegistry metrics) {
        start(db.worker(), config.kafka().bootstrapServers(), config.kafka().clientId(), config.kafka().security(),
                config.relay(), metrics);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }
}
