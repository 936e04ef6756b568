package org.triplane.gateway.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.messaging.RelayService;

/**
 * Runs the gateway's outbox relay ({@link RelayService}) from start-up (after the schema is
 * migrated) to shutdown. Every worker runs one as well, over the same outbox, so the events the
 * gateway commits reach Kafka while any service is up, and a job goes on while the gateway is down.
 * Readiness check {@code outbox-relay}: down once the relay's loop died. Exposes
 * {@code triplane.outbox.relay.failures} (failed passes in a row).
 */
@Readiness
@ApplicationScoped
public class RelayRunner implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(RelayRunner.class);

    private volatile RelayService relay;

    void onStart(@Observes @Priority(20) StartupEvent event, GatewayConfig config, Databases db, MeterRegistry metrics) {
        relay = RelayService.start(db.worker(), config.kafka().bootstrapServers(), config.kafka().clientId(), config.relay());
        if (!relay.enabled()) {
            LOG.info("outbox relay disabled in this instance; the other services' relays publish its events");
        }
        Gauge.builder("triplane.outbox.relay.failures", relay, RelayService::consecutiveFailures)
                .description("failed outbox relay passes in a row")
                .register(metrics);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        return RelayService.readinessOf(relay);
    }
}
